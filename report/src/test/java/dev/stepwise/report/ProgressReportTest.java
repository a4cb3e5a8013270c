package dev.stepwise.report;

import static dev.stepwise.report.HtmlReportTest.count;
import static dev.stepwise.report.HtmlReportTest.parse;
import static dev.stepwise.report.HtmlReportTest.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.rollout.Approval;
import dev.stepwise.core.rollout.Approver;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutProgress;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.rollout.Rollouts;
import dev.stepwise.core.rollout.Wave;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** The standing of a parked rollout, read from its journal, on the page. */
class ProgressReportTest {

    @Test
    void of_whenRolloutParkedAtSoak_showsStateResumeTimeAndWaves(@TempDir Path dir) throws Exception {
        JournalStore store = JournalStore.directory(dir);
        Rollout rollout = Rollout.builder("patch-fleet", Samples.plan()).inputs(t -> Inputs.of(Samples.HOST, t))
                .wave(Wave.builder("non-production").targets("db-1").build())
                .soak(Duration.ofDays(7))
                .approval(Approval.by(Approver.autoApprove("alice")))
                .wave(Wave.builder("production").targets("web-1").build())
                .build();
        RolloutResult parked = Samples.virtual().withJournal(store).parkLongerThan(Duration.ofHours(1)).run(rollout);
        assertThat(parked.status()).isEqualTo(RolloutStatus.WAITING);
        RolloutProgress progress = Rollouts.status(store, parked.rolloutId());

        String html = HtmlReport.of(progress).toHtml();

        Document doc = parse(html);
        assertThat(text(doc, "/html/head/title")).contains(parked.rolloutId()).contains("WAITING");
        assertThat(text(doc, "//section[@class='progress']//dl")).contains("resume at or after")
                .contains(parked.resumeAt().toString());
        assertThat(count(doc, "//section[@class='progress']//table[@class='waves']/tbody/tr")).isEqualTo(2);
        assertThat(text(doc, "//section[@class='progress']//table[@class='waves']/tbody/tr[1]")).contains("non-production")
                .contains("db-1");
        assertThat(text(doc, "//section[@class='progress']//table[@class='waves']/tbody/tr[2]")).contains("NOT STARTED");
        assertThat(html.toLowerCase(Locale.ROOT)).doesNotContain("<script").doesNotContain("https://");
    }
}
