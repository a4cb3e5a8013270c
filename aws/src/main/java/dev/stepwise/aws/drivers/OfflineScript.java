package dev.stepwise.aws.drivers;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The PowerShell script {@link WindowsDriverUpgrade} hands to {@code AWSSupport-StartEC2RescueWorkflow} as its
 * {@code OfflineScript}, built from named sections in a fixed order: {@code preflight}, {@code domain-controller},
 * {@code download}, {@code inject}, {@code report}.
 *
 * <p><b>This script is Stepwise's own.</b> AWS's runbook runs an offline script that is not public, and AWS
 * publishes no procedure for installing drivers on a mounted volume (reference, section 4 "Driver installation",
 * and section 5). What the script does is built only on documented tools:
 * <ul>
 *   <li>It runs where EC2Rescue sets {@code EC2RESCUE_OFFLINE_DRIVE} and {@code EC2RESCUE_OFFLINE_CURRENT_CONTROL_SET}
 *       (reference, section 4, "Windows script environment"); without them it stops before doing anything.</li>
 *   <li>It first reads the offline image's {@code Control\ProductOptions\ProductType}; on a domain controller
 *       ({@code LanmanNt}) it changes nothing and prints {@link #DOMAIN_CONTROLLER_MARKER}, since AWS says the
 *       runbook fails on domain controllers (reference, section 4, Warnings). That {@code LanmanNt} marks a domain
 *       controller is Microsoft's registry convention, not a fact of the project's reference file; the
 *       {@code DriverVer} version read below is the INF directive's documented format. Both should be added to the
 *       reference with their Microsoft sources.</li>
 *   <li>It downloads ENA and NVMe from the locations the EC2 Windows guide gives ({@link #ENA_URL}, {@link #NVME_URL})
 *       and injects their {@code .inf} packages with {@code Add-WindowsDriver -Path -Driver -Recurse} (reference,
 *       section 4, "Microsoft Add-WindowsDriver"). Using {@code EC2RESCUE_OFFLINE_DRIVE} as {@code -Path} is an
 *       inference, not documented. Without {@code force}, a package whose {@code DriverVer} version is not newer than
 *       the one already in the image is skipped.</li>
 *   <li>It does <b>not</b> install PV: AWS ships PV only as {@code AWSPVDriverSetup.msi} for a running instance, and
 *       DISM injects only {@code .inf} packages (reference, section 4, "PV: MSI or INF?"). The plan installs PV online
 *       once the instance is back; the script says so with {@link #PV_PENDING_MARKER}.</li>
 * </ul>
 *
 * <p><b>Encoding.</b> {@link #encoded()} is base64 of the script's ASCII bytes. AWS's 2018 and 2021 pages encode
 * with {@code [Text.Encoding]::Unicode} (UTF-16LE), its current pages with {@code ::ASCII}, and the 2018 page's own
 * sample value decodes as plain ASCII; the decoder is not documented (reference, section 4, "Encoding
 * discrepancy"). Stepwise follows the current pages and the sample, and keeps the script pure ASCII so the choice
 * is the same text under an ASCII or UTF-8 decoder. Immutable and thread-safe.
 *
 * <pre>{@code
 * OfflineScript script = OfflineScript.of(false);
 * script.sections().forEach(s -> System.out.println(s.name()));
 * String parameter = script.encoded();
 * }</pre>
 */
public final class OfflineScript {
    /** ENA, as the EC2 Windows guide links it ([EC2W] enhanced-networking-ena.md, troubleshoot-ena-driver.md). */
    public static final String ENA_URL = "https://s3.amazonaws.com/ec2-windows-drivers-downloads/ENA/Latest/AwsEnaNetworkDriver.zip";
    /** NVMe, as the EC2 Windows guide links it ([EC2W] aws-nvme-drivers.md). */
    public static final String NVME_URL = "https://s3.amazonaws.com/ec2-windows-drivers-downloads/NVMe/Latest/AWSNVMe.zip";
    /** Printed, and nothing changed, when the offline image is a domain controller. */
    public static final String DOMAIN_CONTROLLER_MARKER = "STEPWISE-REFUSED: domain-controller";
    /** Printed at the end: PV is left for the online step. */
    public static final String PV_PENDING_MARKER = "STEPWISE-PV-PENDING";
    /** The section names, in order. */
    public static final List<String> SECTION_ORDER = List.of("preflight", "domain-controller", "download", "inject",
            "report");

    /** One named part of the script. */
    public record Section(String name, String text) {
        public Section {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(text, "text");
        }
    }

    private final boolean force;
    private final List<Section> sections;

    private OfflineScript(boolean force) {
        this.force = force;
        this.sections = List.of(
                new Section("preflight", String.join("\n",
                        "$ErrorActionPreference = 'Stop'",
                        "$Force = " + (force ? "$true" : "$false"),
                        "$offline = $env:EC2RESCUE_OFFLINE_DRIVE",
                        "$controlSet = $env:EC2RESCUE_OFFLINE_CURRENT_CONTROL_SET",
                        "if (-not $offline -or -not $controlSet) { throw 'EC2RESCUE_OFFLINE_DRIVE or "
                                + "EC2RESCUE_OFFLINE_CURRENT_CONTROL_SET is not set: this script runs only inside "
                                + "AWSSupport-StartEC2RescueWorkflow; nothing was changed' }")),
                new Section("domain-controller", String.join("\n",
                        "$productType = (Get-ItemProperty -Path (Join-Path $controlSet 'Control\\ProductOptions') "
                                + "-Name ProductType).ProductType",
                        "if ($productType -eq 'LanmanNt') {",
                        "    Write-Output '" + DOMAIN_CONTROLLER_MARKER + ": the offline Windows image is a domain "
                                + "controller (ProductType LanmanNt); no driver was changed'",
                        "    exit 0",
                        "}",
                        "Write-Output \"STEPWISE-CHECKED: ProductType $productType\"")),
                new Section("download", String.join("\n",
                        "$work = Join-Path $env:TEMP 'stepwise-drivers'",
                        "New-Item -ItemType Directory -Force -Path $work | Out-Null",
                        "$packages = [ordered]@{",
                        "    'AwsEnaNetworkDriver' = '" + ENA_URL + "'",
                        "    'AWSNVMe' = '" + NVME_URL + "'",
                        "}",
                        "foreach ($name in $packages.Keys) {",
                        "    $zip = Join-Path $work \"$name.zip\"",
                        "    Invoke-WebRequest -UseBasicParsing -Uri $packages[$name] -OutFile $zip",
                        "    Expand-Archive -Force -Path $zip -DestinationPath (Join-Path $work $name)",
                        "}")),
                new Section("inject", String.join("\n",
                        "$installed = @(Get-WindowsDriver -Path $offline)",
                        "foreach ($name in $packages.Keys) {",
                        "    $dir = Join-Path $work $name",
                        "    $infs = @(Get-ChildItem -Recurse -Path $dir -Filter *.inf)",
                        "    if ($infs.Count -eq 0) { throw \"$name has no .inf package to inject\" }",
                        "    $latest = $null",
                        "    $line = Select-String -Path $infs[0].FullName -Pattern '^\\s*DriverVer\\s*=\\s*[^,]*,\\s*([0-9.]+)' "
                                + "| Select-Object -First 1",
                        "    if ($line) { $latest = $line.Matches[0].Groups[1].Value }",
                        "    $current = ($installed | Where-Object { $_.OriginalFileName -like \"*\\$($infs[0].Name)\" } "
                                + "| Select-Object -First 1).Version",
                        "    if (-not $Force -and $current -and $latest -and ([version]$current -ge [version]$latest)) {",
                        "        Write-Output \"STEPWISE-SKIPPED: $name $current is already the latest\"",
                        "        continue",
                        "    }",
                        "    Add-WindowsDriver -Path $offline -Driver $dir -Recurse | Out-Null",
                        "    Write-Output \"STEPWISE-INJECTED: $name $latest (was $(if ($current) { $current } else { 'none' }))\"",
                        "}")),
                new Section("report", String.join("\n",
                        "Write-Output '" + PV_PENDING_MARKER + ": AWSPVDriver is installed only by its MSI on a running "
                                + "instance; Stepwise installs it online after the start'")));
    }

    /** The script for a normal ({@code force} false) or forced upgrade. */
    public static OfflineScript of(boolean force) {
        return new OfflineScript(force);
    }

    /** Whether drivers already current are injected again. */
    public boolean force() {
        return force;
    }

    /** The sections, in the order of {@link #SECTION_ORDER}. */
    public List<Section> sections() {
        return sections;
    }

    /** The whole script: each section under a {@code # section: <name>} comment line. */
    public String text() {
        return "# Stepwise offline driver upgrade (Stepwise's own script, not AWS's)\n"
                + sections.stream().map(s -> "# section: " + s.name() + "\n" + s.text()).collect(Collectors.joining("\n"))
                + "\n";
    }

    /** The {@code OfflineScript} parameter: base64 of the ASCII text (see the class comment for why ASCII). */
    public String encoded() {
        String text = text();
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 127) {
                throw new IllegalStateException("the offline script has a non-ASCII character at " + i
                        + "; it must stay ASCII to be read the same by every decoder");
            }
        }
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "OfflineScript[" + (force ? "forced, " : "") + SECTION_ORDER + "]";
    }
}
