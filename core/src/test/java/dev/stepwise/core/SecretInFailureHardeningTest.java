package dev.stepwise.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.journal.JournalCodec;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.retry.RetryPolicy;
import dev.stepwise.core.run.RunEvent;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step's exception that quotes a secret input — raw or URL-encoded, as a remote API echoing a form would — never
 * carries it into the result, its JSON, the events or the journal.
 */
class SecretInFailureHardeningTest {
    static final Key<String> PASSWORD = Key.secret("Password", String.class);
    static final String SECRET = "p@ss w+rd&=ö";

    @TempDir
    Path dir;

    @Test
    void failure_quotingASecretInput_isMaskedInResultEventsAndJournal() throws IOException {
        String encoded = URLEncoder.encode(SECRET, StandardCharsets.UTF_8);
        Plan plan = Plan.builder("login").input(Input.required(PASSWORD))
                .require("the password works", ctx -> {
                    throw new IllegalStateException("check refused password=" + encoded);
                })
                .step(Step.mutating("use it").run(ctx -> { }))
                .build();
        Plan stepPlan = Plan.builder("login-step").input(Input.required(PASSWORD))
                .step(Step.mutating("login").retry(RetryPolicy.builder().maxAttempts(2).build()).run(ctx -> {
                    throw new IllegalStateException("controller answered: bad form username=admin&password="
                            + encoded + " (raw " + SECRET + ")");
                }))
                .build();
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        Runner runner = Runner.create().withTimeSource(VirtualTimeSource.create()).withJournal(JournalStore.directory(dir))
                .withListener(events::add);

        RunResult checked = runner.run(plan, Inputs.of(PASSWORD, SECRET));
        RunResult stepped = runner.run(stepPlan, Inputs.of(PASSWORD, SECRET));

        for (RunResult r : List.of(checked, stepped)) {
            assertThat(r.toJson()).doesNotContain(SECRET).doesNotContain(encoded).contains("****");
            assertThat(r.toString()).doesNotContain(SECRET).doesNotContain(encoded);
            assertThat(r.reason()).doesNotContain(encoded);
            assertThat(JournalStore.directory(dir).read(r.runId()).entries()).extracting(JournalCodec::encode)
                    .noneMatch(line -> line.contains(SECRET) || line.contains(encoded));
        }
        assertThat(events).extracting(Object::toString).noneMatch(e -> e.contains(SECRET) || e.contains(encoded));
    }
}
