package dev.stepwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The runnable jar that {@code mvn package} builds, started as an operator would: {@code java -jar}, in a child JVM
 * with nothing else on its class path. Proves the shading kept what ServiceLoader needs (core finds its engine
 * through {@code META-INF/services/dev.stepwise.core.run.RunnerProvider}) and that a logging backend is inside.
 */
class RunnableJarIT {
    private static final Path JAR = Path.of(System.getProperty("stepwise.cli.jar", "target/stepwise-cli.jar"));

    record Exit(int status, String out, String err) {
    }

    private static Exit javaJar(String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("the shaded jar; run through 'mvn verify', which packages it first").isRegularFile();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("stepwise-out", ".txt");
        Path err = Files.createTempFile("stepwise-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            // the SDK's default chain finds these; nothing is sent anywhere but the endpoint a test names
            pb.environment().put("AWS_ACCESS_KEY_ID", "testing");
            pb.environment().put("AWS_SECRET_ACCESS_KEY", "testing");
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("java -jar %s finished", String.join(" ", args)).isTrue();
            return new Exit(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void javaJar_help_listsEveryCommandAndExits0() throws Exception {
        Exit e = javaJar("--help");

        assertThat(e.status()).as(e.err()).isZero();
        assertThat(e.out()).startsWith("Usage: stepwise").contains("drivers-upgrade").contains("patch-rollout")
                .contains("aviatrix-upgrade").contains("rollout").contains("generate-completion");
    }

    @Test
    void javaJar_version_namesTheBuiltVersion() throws Exception {
        Exit e = javaJar("--version");

        assertThat(e.status()).as(e.err()).isZero();
        assertThat(e.out()).startsWith("stepwise ").doesNotContain("development build");
    }

    @Test
    void javaJar_badOption_exits2NamingIt() throws Exception {
        Exit e = javaJar("drivers-upgrade", "--instance-id", "i-12", "--region", "us-east-1");

        assertThat(e.status()).isEqualTo(2);
        assertThat(e.err()).contains("--instance-id \"i-12\" does not match");
        assertThat(e.out()).isEmpty();
    }

    @Test
    void javaJar_dryRun_findsTheEngineAndTheHttpClientThroughServiceLoader() throws Exception {
        // nothing listens on port 1: the engine starts the run (found through ServiceLoader), the SDK builds its
        // client (its HTTP client found the same way), the first read fails, and the run is reported as failed
        Exit e = javaJar("drivers-upgrade", "--instance-id", "i-0123456789abcdef0", "--region", "us-east-1",
                "--endpoint", "http://127.0.0.1:1", "--output", "json");

        assertThat(e.err()).doesNotContain("found no Stepwise engine").doesNotContain("ServiceConfigurationError")
                .doesNotContain("Unable to load an HTTP implementation");
        assertThat(e.status()).as(e.err()).isEqualTo(1);
        assertThat(dev.stepwise.core.run.RunResult.fromJson(e.out()).status())
                .isEqualTo(dev.stepwise.core.run.RunStatus.FAILED);
        assertThat(e.err()).contains("This was a dry run")
                // progress lines, not the library's INFO log, tell the operator what happens (simplelogger.properties)
                .contains("dry run of AWSSupport-UpgradeWindowsAWSDrivers started").doesNotContain(" INFO ");
    }
}
