package dev.stepwise.core;

import static dev.stepwise.core.Fixtures.IMAGE;
import static dev.stepwise.core.Fixtures.MISSING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Prediction;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.retry.RetryPolicy;
import dev.stepwise.core.run.RunEvent;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventsAndRenderingTest {

    private Plan plan(AtomicInteger calls) {
        return Plan.builder("events")
                .require("ready", ctx -> true)
                .step(Step.mutating("backup").output(IMAGE)
                        .retry(RetryPolicy.builder().maxAttempts(3).delay(Duration.ofSeconds(5)).build())
                        .predict(ctx -> List.of(Prediction.call("ec2", "CreateImage", Map.of("InstanceId", "i-1"))))
                        .action(ctx -> {
                            if (calls.incrementAndGet() == 1) {
                                throw new IllegalStateException("throttled");
                            }
                            return "ami-1";
                        }))
                .step(Step.readOnly("scan").output(MISSING).action(ctx -> 0))
                .branch("anything missing?", ctx -> ctx.get(MISSING) > 0,
                        then -> then.step(Step.mutating("install").run(ctx -> { })),
                        otherwise -> otherwise.end("nothing to install"))
                .build();
    }

    @Test
    void listeners_receiveEventsInOrder() {
        Fixtures.Recorder rec = new Fixtures.Recorder();
        Runner.create().withTimeSource(VirtualTimeSource.create()).withListener(rec).run(plan(new AtomicInteger()), Inputs.empty());
        assertThat(rec.names()).containsExactly("PlanStarted", "CheckEvaluated", "StepStarted", "AttemptFailed",
                "RetryScheduled", "StepSucceeded", "StepStarted", "StepSucceeded", "CheckEvaluated", "StepSkipped",
                "PlanFinished");
        RunEvent.RetryScheduled retry = (RunEvent.RetryScheduled) rec.events.get(4);
        assertThat(retry.step()).isEqualTo("backup");
        assertThat(retry.nextAttempt()).isEqualTo(2);
        assertThat(retry.delay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(rec.events).allSatisfy(e -> assertThat(e.run().plan()).isEqualTo("events"));
    }

    @Test
    void listener_thatThrows_doesNotFailTheRun() {
        RunResult r = Runner.create().withTimeSource(VirtualTimeSource.create()).withListener(e -> {
            throw new IllegalStateException("broken listener");
        }).run(plan(new AtomicInteger()), Inputs.empty());
        assertThat(r.isSuccess()).isTrue();
    }

    @Test
    void json_roundTripsEveryField() {
        RunResult r = Runner.create().withTimeSource(VirtualTimeSource.create()).run(plan(new AtomicInteger()), Inputs.empty());
        String json = r.toJson();
        RunResult back = RunResult.fromJson(json);
        assertThat(back.toJson()).isEqualTo(json);
        assertThat(back.steps()).isEqualTo(r.steps());
        assertThat(back.status()).isEqualTo(r.status());
        assertThat(back.start()).isEqualTo(r.start());
        assertThat(back.output(IMAGE)).contains("ami-1");
        assertThat(back.output(MISSING)).contains(0);
    }

    @Test
    void json_ofADryRun_keepsPredictions() {
        RunResult r = Runner.create().dryRun().withTimeSource(VirtualTimeSource.create()).run(plan(new AtomicInteger()), Inputs.empty());
        RunResult back = RunResult.fromJson(r.toJson());
        assertThat(back.step("backup").orElseThrow().predictions())
                .containsExactly(Prediction.call("ec2", "CreateImage", Map.of("InstanceId", "i-1")));
        assertThat(r.toJson()).contains("\"service\" : \"ec2\"", "\"operation\" : \"CreateImage\"");
    }

    @Test
    void mermaid_drawsBranchesPreconditionsAndEnds() {
        String m = plan(new AtomicInteger()).toMermaid();
        assertThat(m).startsWith("flowchart TD\n")
                .contains("n1{{\"require: ready\"}}")
                .contains("n1 -- no --> f1")
                .contains("n2[[\"backup\"]]")
                .contains("n3[\"scan\"]")
                .contains("n4{\"anything missing?\"}")
                .contains("n4 -- yes --> n5")
                .contains("n4 -- no --> n6")
                .contains("n6([\"end: nothing to install\"])")
                .contains("n5 --> done");
        assertThat(m).doesNotContain("n6 --> done");
    }

    @Test
    void outline_numbersBranchArms() {
        assertThat(plan(new AtomicInteger()).toString())
                .contains("2. backup [MUTATING] -> backupImageId (retry 3 attempts)")
                .contains("4. branch: anything missing?")
                .contains("4.1. install [MUTATING]")
                .contains("4.2. end: nothing to install");
    }

    @Test
    void table_showsStatusAttemptsAndOutputs() {
        RunResult r = Runner.create().withTimeSource(VirtualTimeSource.create()).run(plan(new AtomicInteger()), Inputs.empty());
        assertThat(r.toString())
                .contains("Run of plan events")
                .contains(": ENDED in 5.0 s")
                .contains("Ended: nothing to install")
                .containsPattern("backup\\s+step\\s+SUCCEEDED\\s+2\\s+5.0 s\\s+-> backupImageId=ami-1");
    }
}
