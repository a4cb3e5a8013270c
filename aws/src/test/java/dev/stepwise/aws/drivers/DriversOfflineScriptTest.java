package dev.stepwise.aws.drivers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The offline script's text, checked since PowerShell cannot run here: order, documented tools only, encoding. */
class DriversOfflineScriptTest {
    private final OfflineScript script = OfflineScript.of(false);

    @Test
    void sections_comeInTheirFixedOrder_preflightFirst() {
        assertThat(script.sections()).extracting(OfflineScript.Section::name)
                .containsExactly("preflight", "domain-controller", "download", "inject", "report");
        assertThat(script.text()).startsWith("# Stepwise offline driver upgrade (Stepwise's own script, not AWS's)\n"
                + "# section: preflight\n$ErrorActionPreference = 'Stop'\n");
    }

    @Test
    void preflight_stopsOutsideEc2RescueBeforeAnythingElse() {
        String preflight = section("preflight");
        assertThat(preflight).contains("$offline = $env:EC2RESCUE_OFFLINE_DRIVE")
                .contains("$controlSet = $env:EC2RESCUE_OFFLINE_CURRENT_CONTROL_SET")
                .contains("if (-not $offline -or -not $controlSet) { throw ");
    }

    @Test
    void domainController_isReadFromTheOfflineImage_andRefusedBeforeAnyDownloadOrChange() {
        String dc = section("domain-controller");
        assertThat(dc).contains("Get-ItemProperty -Path (Join-Path $controlSet 'Control\\ProductOptions') -Name ProductType")
                .contains("if ($productType -eq 'LanmanNt') {")
                .contains("Write-Output '" + OfflineScript.DOMAIN_CONTROLLER_MARKER)
                .contains("    exit 0");
        String text = script.text();
        assertThat(text.indexOf(OfflineScript.DOMAIN_CONTROLLER_MARKER)).isLessThan(text.indexOf("Invoke-WebRequest"))
                .isLessThan(text.indexOf("Add-WindowsDriver"));
    }

    @Test
    void drivers_comeOnlyFromTheLocationsTheEc2WindowsGuideGives() {
        Matcher m = Pattern.compile("https://[^'\"\\s]+").matcher(script.text());
        Set<String> urls = new LinkedHashSet<>();
        while (m.find()) {
            urls.add(m.group());
        }
        assertThat(urls).containsExactly(OfflineScript.ENA_URL, OfflineScript.NVME_URL);
        assertThat(OfflineScript.ENA_URL).isEqualTo(
                "https://s3.amazonaws.com/ec2-windows-drivers-downloads/ENA/Latest/AwsEnaNetworkDriver.zip");
        assertThat(OfflineScript.NVME_URL).isEqualTo(
                "https://s3.amazonaws.com/ec2-windows-drivers-downloads/NVMe/Latest/AWSNVMe.zip");
    }

    @Test
    void pv_isNotInstalledOffline_andTheReportSaysItIsLeftForTheOnlineStep() {
        String text = script.text();
        assertThat(text).doesNotContain("AWSPVDriver.zip").doesNotContain("AWSPV/Latest").doesNotContain(".msi")
                .doesNotContain("msiexec");
        assertThat(script.sections()).filteredOn(s -> !s.name().equals("report"))
                .allSatisfy(s -> assertThat(s.text()).doesNotContain("AWSPV"));
        assertThat(section("report")).contains(OfflineScript.PV_PENDING_MARKER).contains("AWSPVDriver");
    }

    @Test
    void addWindowsDriver_usesOnlyItsDocumentedParameters_onInfPackages() {
        List<String> lines = script.text().lines().filter(l -> l.contains("Add-WindowsDriver")).toList();
        assertThat(lines).hasSize(1);
        Matcher m = Pattern.compile(" -([A-Za-z]+)").matcher(lines.get(0));
        Set<String> used = new LinkedHashSet<>();
        while (m.find()) {
            used.add(m.group(1));
        }
        // docset/winserver2022-ps/dism/Add-WindowsDriver.md: Path, Driver, Recurse, ForceUnsigned, WindowsDirectory,
        // SystemDrive, LogPath, ScratchDirectory, LogLevel
        assertThat(used).containsExactly("Path", "Driver", "Recurse");
        assertThat(section("inject")).contains("Get-ChildItem -Recurse -Path $dir -Filter *.inf")
                .contains("has no .inf package to inject");
    }

    @Test
    void getWindowsDriver_readsTheOfflineImageWithoutTheUndocumentedOnlineFalse() {
        assertThat(script.text()).doesNotContain("-Online").contains("Get-WindowsDriver -Path $offline");
    }

    @Test
    void force_isTheOnlyDifferenceBetweenTheTwoScripts() {
        String forced = OfflineScript.of(true).text();
        assertThat(forced).contains("$Force = $true");
        assertThat(script.text()).contains("$Force = $false");
        assertThat(forced.replace("$Force = $true", "$Force = $false")).isEqualTo(script.text());
    }

    @Test
    void braces_parenthesesAndQuotes_areBalanced() {
        String text = script.text();
        assertThat(count(text, '{')).isEqualTo(count(text, '}'));
        assertThat(count(text, '(')).isEqualTo(count(text, ')'));
        for (String line : text.lines().toList()) {
            assertThat(count(line, '"') % 2).as("double quotes in: %s", line).isZero();
        }
    }

    @Test
    void encoded_isBase64OfAsciiText_matchingTheDocumentedPattern() {
        String encoded = script.encoded();
        assertThat(encoded).matches("^[a-zA-Z0-9+/]{3,}[=]{0,2}$");
        byte[] raw = Base64.getDecoder().decode(encoded);
        assertThat(raw).doesNotContain((byte) 0);
        assertThat(new String(raw, StandardCharsets.US_ASCII)).isEqualTo(script.text());
        assertThat(script.text().chars().allMatch(c -> c < 128)).isTrue();
        assertThat(WindowsDriverUpgrade.offlineScript(true)).isEqualTo(OfflineScript.of(true).encoded());
    }

    @Test
    void uniqueId_isShortAndAlphanumeric_forAnyRunId() {
        String longRun = "rollout.wave_1." + "x".repeat(110);
        assertThat(WindowsDriverUpgrade.uniqueId(longRun)).matches("[a-z0-9]{16}");
        assertThat(WindowsDriverUpgrade.uniqueId("run_2026.11.30")).matches("[a-z0-9]{16}")
                .isEqualTo(WindowsDriverUpgrade.uniqueId("run_2026.11.30"))
                .isNotEqualTo(WindowsDriverUpgrade.uniqueId("run_2026.11.31"));
    }

    private String section(String name) {
        return script.sections().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().text();
    }

    private static long count(String s, char c) {
        return s.chars().filter(x -> x == c).count();
    }
}
