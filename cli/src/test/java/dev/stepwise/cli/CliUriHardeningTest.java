package dev.stepwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hardening item 6, for the command line: an address typed with user info or a query is never echoed in a usage
 * error. Regression: {@code --endpoint} and {@code --controller} errors quoted the text as typed.
 */
class CliUriHardeningTest {
    private static final String ID = "i-0123456789abcdef0";

    private String errorOf(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new StepwiseCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), text -> null).run(args);
        assertThat(code).as(String.join(" ", args)).isEqualTo(2);
        return err.toString(StandardCharsets.UTF_8) + out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void endpoint_whenBadAndCarryingSecrets_isRefusedWithoutEchoingThem() {
        for (String endpoint : List.of("https://vpce_1.example.com/?X-Amz-Security-Token=s3cr3t",
                "https://key:s3cr3t@bad_host:4566/", "https://bad host/?t=s3cr3t", "ftp://key:s3cr3t@localhost:21/")) {
            String err = errorOf("drivers-upgrade", "--instance-id", ID, "--endpoint", endpoint);

            assertThat(err).as(endpoint).contains("--endpoint").doesNotContain("s3cr3t").doesNotContain("key:");
        }
    }

    @Test
    void controller_whenBadAndCarryingSecrets_isRefusedWithoutEchoingThem() {
        for (String controller : List.of("http://admin:s3cr3t@ctrl.example.com", "https://ctl_1.example.com/?CID=s3cr3t",
                "https://admin:s3cr3t@ctl_1.example.com/", "https://bad host/?CID=s3cr3t")) {
            List<String> args = new ArrayList<>(List.of("aviatrix-upgrade", "--controller", controller, "--username",
                    "admin", "--target", "6.8", "--train-file", "unused", "--backup-account", "aws-primary",
                    "--backup-bucket", "controller-backups"));

            String err = errorOf(args.toArray(String[]::new));

            assertThat(err).as(controller).contains("--controller").doesNotContain("s3cr3t").doesNotContain("admin:");
        }
    }
}
