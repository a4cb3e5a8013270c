package dev.stepwise.report;

import static dev.stepwise.report.HtmlReportTest.count;
import static dev.stepwise.report.HtmlReportTest.parse;
import static dev.stepwise.report.HtmlReportTest.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.plan.Effect;
import dev.stepwise.core.rollout.Checkpoint;
import dev.stepwise.core.rollout.CheckpointResult;
import dev.stepwise.core.rollout.Limit;
import dev.stepwise.core.rollout.RolloutProgress;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.rollout.TargetResult;
import dev.stepwise.core.rollout.TargetStatus;
import dev.stepwise.core.rollout.WaveResult;
import dev.stepwise.core.rollout.WaveStatus;
import dev.stepwise.core.run.Failure;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.StepResult;
import dev.stepwise.core.run.StepStatus;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * Names that try to break out of the page: results read back from JSON, targets from a tag value, outputs from a
 * remote system are not checked against any naming rule, so everything in them must reach the page as text.
 */
class HostileNamesTest {
    /** A script, both quote kinds, a CDATA end, a comment end, a style end and control characters, in one name. */
    static final String HOSTILE = "<script>alert(\"x\")</script>'\"]]>--></style>\u0000\u0007\u001b[31m";
    /** What a parser reads back: the same text, with XML's forbidden control characters turned into spaces. */
    static final String AS_READ = "<script>alert(\"x\")</script>'\"]]>--></style>   [31m";

    static RolloutResult hostileRollout() {
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        RunResult run = RunResult.builder().plan(HOSTILE).fingerprint("f").runId(HOSTILE).target(HOSTILE)
                .status(RunStatus.FAILED).reason(HOSTILE).start(t0).end(t0.plusSeconds(5))
                .inputs(Map.of(HOSTILE, HOSTILE)).outputs(Map.of(HOSTILE, HOSTILE))
                .failure(Failure.of("java.lang.IllegalStateException", HOSTILE))
                .steps(List.of(StepResult.builder().name(HOSTILE).kind(StepResult.Kind.STEP).effect(Effect.MUTATING)
                        .status(StepStatus.FAILED).attempts(2).start(t0).end(t0.plusSeconds(5)).output(HOSTILE)
                        .note(HOSTILE).failure(Failure.of("x.Y", HOSTILE)).build()))
                .build();
        return RolloutResult.builder().rollout(HOSTILE).rolloutId(HOSTILE).plan(HOSTILE).status(RolloutStatus.HALTED)
                .reason(HOSTILE).start(t0).end(t0.plusSeconds(60))
                .waves(List.of(WaveResult.builder().name(HOSTILE).status(WaveStatus.HALTED).reason(HOSTILE)
                        .targetSource(HOSTILE).maxConcurrency(Limit.of(1)).maxErrors(Limit.of(0))
                        .start(t0).end(t0.plusSeconds(60))
                        .checkpoints(List.of(CheckpointResult.builder().kind(Checkpoint.Kind.GATE).description(HOSTILE)
                                .outcome(CheckpointResult.Outcome.PASSED).detail(HOSTILE).start(t0).end(t0).build()))
                        .targets(List.of(TargetResult.builder().target(HOSTILE).status(TargetStatus.FAILED).start(t0)
                                .end(t0.plusSeconds(5)).run(run).note(HOSTILE).build()))
                        .build()))
                .build();
    }

    @Test
    void toHtml_whenEveryNameIsHostile_pageParsesHasNoScriptAndShowsTheNamesAsText() throws Exception {
        String html = HtmlReport.of(hostileRollout()).and(hostileProgress()).toHtml();

        assertThat(html.toLowerCase(Locale.ROOT)).doesNotContain("<script").doesNotContain("]]>")
                .doesNotContain("--></style>").doesNotContain("\u0000").doesNotContain("\u001b");
        Document doc = parse(html);
        assertThat(count(doc, "//script")).isZero();
        assertThat(count(doc, "//style")).isEqualTo(1);
        // the names arrive as text, whole: the targets table, the wave heading, the step table, the progress section
        assertThat(text(doc, "//table[@class='targets']/tbody/tr/td[@class='name']")).startsWith(AS_READ);
        assertThat(text(doc, "//section[@class='rollout']//h3/code")).isEqualTo(AS_READ);
        assertThat(text(doc, "//table[@class='steps']//span[@class='name']")).isEqualTo(AS_READ);
        assertThat(text(doc, "//section[@class='progress']/h2/code")).isEqualTo(AS_READ);
        assertThat(text(doc, "//ul[@class='checkpoints approvals']/li/b")).isEqualTo(AS_READ);
    }

    @Test
    void toHtml_whenNamesHoldQuotes_attributeValuesStayClosed() throws Exception {
        Document doc = parse(HtmlReport.of(hostileRollout()).toHtml());

        // every element's attributes are the report's own: no name opened a new attribute such as onload
        assertThat(count(doc, "//@*[starts-with(name(), 'on')]")).isZero();
        assertThat(count(doc, "//*[local-name()='svg']//*[local-name()='title']")).isPositive();
    }

    @Test
    void mermaid_whenNamesAreHostile_everyLabelStaysInsideItsQuotes() {
        assertThat(RolloutMermaid.of(hostileRollout())).contains(":::bad");
        String chart = RolloutMermaid.of(hostileRollout());

        for (String line : chart.split("\n")) {
            // each node line holds exactly one quoted label: no quote, bracket or angle escaped from it
            long quotes = line.chars().filter(c -> c == '"').count();
            assertThat(quotes).as(line).isIn(0L, 2L);
        }
        assertThat(chart).doesNotContain("<script").doesNotContain("]]>").doesNotContain("\u0000")
                .contains("#60;script#62;");
    }

    static RolloutProgress hostileProgress() {
        return RolloutProgress.builder().rolloutId(HOSTILE).rollout(HOSTILE).plan(HOSTILE)
                .state(RolloutProgress.State.WAITING).reason(HOSTILE).resumeAt(Instant.parse("2026-03-08T10:00:00Z"))
                .waves(List.of(RolloutProgress.WaveProgressEntry.builder().wave(HOSTILE).status("STARTED")
                        .targets(List.of(HOSTILE)).reason(HOSTILE).build()))
                .approvals(List.of(RolloutProgress.Decided.builder().wave(HOSTILE).approved(true).by(HOSTILE)
                        .comment(HOSTILE).build()))
                .pending(RolloutProgress.Pending.builder().wave(HOSTILE).description(HOSTILE).build())
                .build();
    }
}
