package dev.stepwise.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.aviatrix.testkit.FakeController;
import dev.stepwise.aws.testkit.MotoExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret in anything Stepwise writes: {@link SecretScanRun} runs every built-in plan in a child JVM whose every
 * logger is at TRACE (slf4j-simple reads its level once per JVM, so a child is the only reliable way), with file
 * journals and every report written; every byte of its stdout, stderr, journals and reports is then scanned for
 * the Aviatrix password, each CID and API token the fake issued, the AWS secret key and a secret input value.
 */
class SecretScanIT {
    @RegisterExtension
    static final MotoExtension MOTO = MotoExtension.create();

    @Test
    void everyPlanAtTrace_withJournalsAndReports_writesNoSecretAnywhere(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("written"));
        Path secretsFile = dir.resolve("secrets.txt");
        Path console = dir.resolve("console.log");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace", "-cp", cp, SecretScanRun.class.getName(),
                MOTO.server().endpoint().toString(), out.toString(), secretsFile.toString())
                .redirectErrorStream(true).redirectOutput(console.toFile()).start();
        assertThat(p.waitFor(150, TimeUnit.SECONDS)).as("the child finished").isTrue();
        String log = Files.readString(console, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(log).isZero();

        Set<String> secrets = new LinkedHashSet<>(Files.readAllLines(secretsFile, StandardCharsets.UTF_8));
        assertThat(secrets).as("CIDs and API tokens the fake issued").hasSizeGreaterThanOrEqualTo(8);
        secrets.add(FakeController.DEFAULT_PASSWORD);
        secrets.add(Reliability.SECRET_ACCESS_KEY);
        secrets.add(SecretScanRun.SECRET_INPUT);

        // The capture saw TRACE and DEBUG lines, the plans' lines and the client's, so the scan below can fail.
        assertThat(log).contains("TRACE", "DEBUG", "password=****", "Session expired", "AWSSupport-UpgradeWindowsAWSDrivers",
                "Hop 2 of 3");
        List<Path> files = new ArrayList<>(List.of(console));
        try (Stream<Path> walk = Files.walk(out)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        assertThat(files).as("journals and reports were written")
                .anyMatch(f -> f.toString().endsWith(".jsonl")).anyMatch(f -> f.toString().endsWith("patch-rollout.json"));
        assertThat(Files.readString(out.resolve("reports/secret-input.json"))).contains("****");

        List<String> findings = new ArrayList<>();
        long bytes = 0;
        for (Path f : files) {
            byte[] content = Files.readAllBytes(f);
            bytes += content.length;
            String text = new String(content, StandardCharsets.ISO_8859_1);
            for (String secret : secrets) {
                if (text.contains(new String(secret.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))) {
                    findings.add(secret.substring(0, Math.min(4, secret.length())) + "… in " + dir.relativize(f));
                }
            }
        }
        Reliability.record("secrets", Map.of("secretsSearched", secrets.size(), "filesScanned", files.size(),
                "bytesScanned", bytes, "found", findings.size()));
        assertThat(findings).as("secrets found in %s files, %s bytes", files.size(), bytes).isEmpty();
    }
}
