package dev.stepwise.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.rollout.Approval;
import dev.stepwise.core.rollout.Approver;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.Wave;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RolloutMermaidTest {

    @Test
    void ofResult_drawsCheckpointsThenWavesInOrderWithOutcomesAndCounts() {
        RolloutResult r = Samples.rollout(false);

        String chart = RolloutMermaid.of(r);

        assertThat(chart).startsWith("flowchart LR\n");
        int nonProd = chart.indexOf("wave non-production");
        int soak = chart.indexOf("soak: ");
        int approval = chart.indexOf("approval: ");
        int prod = chart.indexOf("wave production");
        assertThat(nonProd).isPositive().isLessThan(soak);
        assertThat(soak).isLessThan(approval);
        assertThat(approval).isLessThan(prod);
        assertThat(chart).contains("2 succeeded, 0 failed, 0 cancelled, 0 not started of 2")
                .contains("SUCCEEDED_WITHIN_BUDGET<br/>2 succeeded, 1 failed").contains(":::ok").contains("classDef ok");
        // every node is linked to the one before it, from start to finish
        assertThat(chart.lines().filter(l -> l.contains(" --> ")).count())
                .isEqualTo(chart.lines().filter(l -> l.matches("\\s+(c|w)\\d+[\\[{].*")).count() + 1);
    }

    @Test
    void ofRollout_drawsTheConfiguredWavesLimitsAndCheckpoints() {
        Rollout rollout = Rollout.builder("patch-fleet", Samples.plan())
                .inputs(t -> Inputs.of(Samples.HOST, t))
                .wave(Wave.builder("canary").targets("db-1").build())
                .soak(Duration.ofDays(7))
                .approval(Approval.by(Approver.autoApprove("alice")))
                .wave(Wave.builder("fleet").targets("db-2", "db-3").maxConcurrency(2).maxErrors(1).build())
                .build();

        String chart = RolloutMermaid.of(rollout);

        assertThat(chart).contains("wave canary").contains("wave fleet<br/>concurrency 2, errors 1")
                .contains("{{\"soak: ").contains("{{\"approval: ").doesNotContain(":::");
        assertThat(chart.indexOf("wave canary")).isLessThan(chart.indexOf("soak: "));
        assertThat(chart.indexOf("approval: ")).isLessThan(chart.indexOf("wave fleet"));
    }

    @Test
    void label_writesAnythingButSafeCharactersAsEntityCodes() {
        assertThat(RolloutMermaid.label("a-b_c (1/2), x: y.")).isEqualTo("a-b_c (1/2), x: y.");
        assertThat(RolloutMermaid.label("\"<x>\"[]{}|;#")).isEqualTo("#34;#60;x#62;#34;#91;#93;#123;#125;#124;#59;#35;");
    }
}
