package dev.stepwise.report;

import dev.stepwise.core.Durations;
import static dev.stepwise.report.Html.clip;
import static dev.stepwise.report.Html.esc;

import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Prediction;
import dev.stepwise.core.rollout.CheckpointResult;
import dev.stepwise.core.rollout.RolloutProgress;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.TargetResult;
import dev.stepwise.core.rollout.WaveResult;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.StepResult;
import dev.stepwise.core.run.StepStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * A self-contained HTML page about a run or a rollout: the plan as a diagram, a timeline, and a table per step
 * and per target, with statuses, attempts, durations, outputs, failures and dry-run predictions; and where a
 * journaled rollout stands ({@link #of(RolloutProgress)}), for a rollout parked at a soak or an approval.
 *
 * <p>The page loads nothing: no script, no font, no stylesheet, no image from anywhere; its CSS is inline, its
 * diagrams are inline SVG drawn here, and a Content-Security-Policy forbids any load, so it opens the same from a
 * laptop, an air-gapped jump host or a CI artefact. All text from plans and results (step names, outputs,
 * failures) is escaped by the OWASP Java Encoder, and the markup is well-formed XML as well as HTML. The report
 * shows only what the results hold, and results already show secret inputs and outputs as {@code ****}.
 *
 * <p>Defaults: the title names the first run or rollout; targets beyond 100 per wave are summed up in the
 * timeline, and step tables are shown for the first 200 targets of each wave (every target is in the target
 * table). Immutable and thread-safe; {@link #and} returns a new report.
 *
 * <pre>{@code
 * RunResult result = Runner.create().dryRun().run(plan, inputs);
 * HtmlReport.of(plan, result).writeTo(Path.of("report.html"));
 *
 * RolloutResult rolled = Runner.create().run(rollout);
 * String html = HtmlReport.of(plan, rolled).titled("March patching").toHtml();
 * }</pre>
 */
public final class HtmlReport {
    private static final int TIMELINE_TARGETS_PER_WAVE = 100;
    private static final int STEP_TABLES_PER_WAVE = 200;
    private static final int MAX_TEXT = 2000;
    private static final int MAX_PARAMETER = 160;

    private sealed interface Section {
    }

    private record RunSection(Plan plan, RunResult run) implements Section {
    }

    private record RolloutSection(Plan plan, RolloutResult rollout) implements Section {
    }

    private record ProgressSection(RolloutProgress progress) implements Section {
    }

    private final String title;
    private final List<Section> sections;

    private HtmlReport(String title, List<Section> sections) {
        this.title = title;
        this.sections = List.copyOf(sections);
    }

    /** A report of one run of {@code plan}. */
    public static HtmlReport of(Plan plan, RunResult result) {
        return new HtmlReport(null, List.of(new RunSection(Objects.requireNonNull(plan, "plan"),
                Objects.requireNonNull(result, "result"))));
    }

    /** A report of a rollout of {@code plan}. */
    public static HtmlReport of(Plan plan, RolloutResult result) {
        return new HtmlReport(null, List.of(new RolloutSection(Objects.requireNonNull(plan, "plan"),
                Objects.requireNonNull(result, "result"))));
    }

    /**
     * A report of a rollout whose plan is not at hand (a packaged rollout such as a patch rollout builds its own):
     * the diagram is drawn from a target's rows, in plan order, with branches as decisions on one line.
     */
    public static HtmlReport of(RolloutResult result) {
        return new HtmlReport(null, List.of(new RolloutSection(null, Objects.requireNonNull(result, "result"))));
    }

    /**
     * A report of where a journaled rollout stands, read from its journal alone ({@code Rollouts.status}): its
     * state, what comes next and when, each wave, the pending approval and who decided each one.
     */
    public static HtmlReport of(RolloutProgress progress) {
        return new HtmlReport(null, List.of(new ProgressSection(Objects.requireNonNull(progress, "progress"))));
    }

    /** This report with a rollout's standing, from its journal, added below. */
    public HtmlReport and(RolloutProgress progress) {
        return with(new ProgressSection(Objects.requireNonNull(progress, "progress")));
    }

    /** This report with another run added below. */
    public HtmlReport and(Plan plan, RunResult result) {
        return with(new RunSection(Objects.requireNonNull(plan, "plan"), Objects.requireNonNull(result, "result")));
    }

    /** This report with another rollout added below. */
    public HtmlReport and(Plan plan, RolloutResult result) {
        return with(new RolloutSection(Objects.requireNonNull(plan, "plan"), Objects.requireNonNull(result, "result")));
    }

    /** This report with another rollout, whose plan is not at hand, added below. */
    public HtmlReport and(RolloutResult result) {
        return with(new RolloutSection(null, Objects.requireNonNull(result, "result")));
    }

    /** This report with the page's title and heading set to {@code title}. */
    public HtmlReport titled(String title) {
        return new HtmlReport(Objects.requireNonNull(title, "title"), sections);
    }

    private HtmlReport with(Section s) {
        List<Section> all = new ArrayList<>(sections);
        all.add(s);
        return new HtmlReport(title, all);
    }

    /** The page's title. */
    public String title() {
        if (title != null) {
            return title;
        }
        Section first = sections.get(0);
        if (first instanceof RunSection r) {
            return "Stepwise: " + r.run().plan() + (r.run().dryRun() ? " (dry run)" : "") + " " + r.run().status();
        }
        if (first instanceof ProgressSection p) {
            return "Stepwise: rollout " + p.progress().rolloutId() + " " + p.progress().state();
        }
        RolloutResult r = ((RolloutSection) first).rollout();
        return "Stepwise: rollout " + r.rollout() + (r.dryRun() ? " (dry run)" : "") + " " + r.status();
    }

    /** The whole page. */
    public String toHtml() {
        StringBuilder out = new StringBuilder(64 * 1024);
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>")
                // belt and braces: even if some text slipped through unescaped, the browser may load nothing
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"/>")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>")
                .append("<title>").append(esc(title())).append("</title><style>").append(Css.STYLE).append("</style></head>\n")
                .append("<body><header><h1>").append(esc(title())).append("</h1></header>\n");
        for (Section s : sections) {
            if (s instanceof RunSection r) {
                run(out, r.plan(), r.run());
            } else if (s instanceof RolloutSection r) {
                rollout(out, r.plan(), r.rollout());
            } else if (s instanceof ProgressSection p) {
                progress(out, p.progress());
            }
        }
        out.append("<footer>").append(legend()).append("<p>Written by Stepwise. This page is self-contained: it loads "
                + "nothing from the network.</p></footer>\n</body></html>\n");
        return out.toString();
    }

    /**
     * Writes the page to {@code file} (UTF-8), creating missing parent directories.
     *
     * @return {@code file}
     * @throws UncheckedIOException if it cannot be written
     */
    public Path writeTo(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, toHtml(), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the HTML report to " + file, e);
        }
    }

    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", "HtmlReport{" + title() + ": ", "}");
        for (Section s : sections) {
            if (s instanceof RunSection r) {
                j.add("run " + r.run().runId());
            } else if (s instanceof RolloutSection r) {
                j.add("rollout " + r.rollout().rolloutId());
            } else {
                j.add("status of rollout " + ((ProgressSection) s).progress().rolloutId());
            }
        }
        return j.toString();
    }

    // ---- a run ----

    private static void run(StringBuilder out, Plan plan, RunResult run) {
        out.append("<section class=\"run\"><h2>Run of plan <code>").append(esc(run.plan())).append("</code> ")
                .append(pill(run.status().name())).append(run.dryRun() ? " <span class=\"pill dry\">DRY RUN</span>" : "")
                .append("</h2>\n");
        if (run.dryRun()) {
            out.append("<p class=\"note\">A dry run: read-only steps and checks ran for real; changing steps were only "
                    + "predicted, call by call, and changed nothing.</p>");
        }
        out.append("<dl class=\"facts\">");
        fact(out, "run id", run.runId());
        if (run.target() != null) {
            fact(out, "target", run.target());
        }
        fact(out, "started", instant(run.start()));
        fact(out, "finished", instant(run.end()));
        fact(out, "took", Durations.human(run.duration()));
        if (!run.reason().isEmpty()) {
            fact(out, "reason", run.reason());
        }
        if (run.failure() != null) {
            fact(out, "failure", run.failure().toString());
        }
        fact(out, "plan fingerprint", run.fingerprint());
        out.append("</dl>\n");
        keyValues(out, "Inputs", run.inputs());
        keyValues(out, "Outputs", run.outputs());
        diagram(out, plan, null, badgesOf(List.of(run), true));
        out.append("<h3>Timeline</h3><div class=\"scroll\">").append(Timeline.svg(stepBars(run), run.start(), run.end()))
                .append("</div>\n<h3>Steps</h3>");
        stepTable(out, run);
        out.append("</section>\n");
    }

    private static List<Timeline.Bar> stepBars(RunResult run) {
        List<Timeline.Bar> bars = new ArrayList<>();
        for (StepResult s : run.steps()) {
            bars.add(new Timeline.Bar(s.name(), s.start(), s.end(), statusClass(s.status().name()), 0,
                    s.start() == null ? s.status().name().toLowerCase(Locale.ROOT).replace('_', ' ') : s.status().name()));
        }
        return bars;
    }

    private static void stepTable(StringBuilder out, RunResult run) {
        out.append("<table class=\"steps\"><thead><tr><th>#</th><th>row</th><th>status</th><th>attempts</th>"
                + "<th>duration</th><th>output</th><th>failure</th><th>dry run / note</th></tr></thead><tbody>");
        int i = 1;
        for (StepResult s : run.steps()) {
            out.append("<tr><td class=\"n\">").append(i++).append("</td><td><span class=\"name\">").append(esc(s.name()))
                    .append("</span><br/><span class=\"sub\">").append(esc(kind(s))).append("</span></td><td>")
                    .append(pill(s.status().name())).append("</td><td class=\"n\">").append(s.attempts())
                    .append("</td><td class=\"n\">").append(s.duration().map(Durations::human).map(Html::esc).orElse(""))
                    .append("</td><td>").append(s.output() == null ? "" : "<code>" + esc(clip(s.output(), MAX_TEXT)) + "</code>")
                    .append("</td><td class=\"fail\">").append(s.failure() == null ? "" : esc(clip(s.failure().toString(), MAX_TEXT)))
                    .append("</td><td>");
            if (!s.predictions().isEmpty()) {
                out.append("<ul class=\"pred\">");
                for (Prediction p : s.predictions()) {
                    prediction(out, p);
                }
                out.append("</ul>");
            }
            if (!s.note().isEmpty()) {
                out.append("<span class=\"sub\">").append(esc(clip(s.note(), MAX_TEXT))).append("</span>");
            }
            out.append("</td></tr>");
        }
        out.append("</tbody></table>\n");
    }

    private static String kind(StepResult s) {
        return switch (s.kind()) {
            case STEP -> "step, " + s.effect().name().replace('_', '-').toLowerCase(Locale.ROOT);
            case CHECK -> "precondition";
            case BRANCH -> "branch";
            case END -> "end";
        };
    }

    private static void prediction(StringBuilder out, Prediction p) {
        out.append("<li>");
        if (p.isCall()) {
            out.append("<b>").append(esc(p.service() + ":" + p.operation())).append("</b>");
            p.parameters().forEach((k, v) -> out.append(" <span class=\"param\">").append(esc(k)).append('=')
                    .append(esc(clip(String.valueOf(v), MAX_PARAMETER))).append("</span>"));
        } else {
            out.append(esc(clip(p.operation(), MAX_TEXT)));
        }
        if (!p.isCertain()) {
            out.append(" <i>(only if ").append(esc(p.condition())).append(")</i>");
        }
        out.append("</li>");
    }

    // ---- a rollout's standing, from its journal ----

    private static void progress(StringBuilder out, RolloutProgress p) {
        out.append("<section class=\"progress\"><h2>Rollout <code>").append(esc(p.rolloutId()))
                .append("</code>, from its journal ").append(pill(p.state().name())).append("</h2>\n<dl class=\"facts\">");
        fact(out, "rollout", Objects.requireNonNullElse(p.rollout(), ""));
        fact(out, "plan", Objects.requireNonNullElse(p.plan(), ""));
        if (!p.reason().isEmpty()) {
            fact(out, p.state() == RolloutProgress.State.WAITING ? "waiting for" : "reason", p.reason());
        }
        if (p.resumeAt() != null) {
            fact(out, "next: resume at or after", instant(p.resumeAt()));
        }
        p.pendingApproval().ifPresent(a -> fact(out, "approval pending", "before wave " + a.wave() + ": "
                + Objects.requireNonNullElse(a.description(), "") + (a.since() == null ? "" : ", asked at " + a.since())));
        out.append("</dl>\n<h3>Waves</h3><table class=\"waves\"><thead><tr><th>wave</th><th>status</th><th>targets</th>"
                + "<th>reason</th></tr></thead><tbody>");
        for (RolloutProgress.WaveProgressEntry w : p.waves()) {
            out.append("<tr><td class=\"name\">").append(esc(w.wave())).append("</td><td>").append(pill(w.status()))
                    .append("</td><td>").append(w.targets().isEmpty() ? "<span class=\"sub\">not resolved yet</span>"
                            : esc(clip(String.join(", ", w.targets()), MAX_TEXT)))
                    .append("</td><td>").append(esc(w.reason())).append("</td></tr>");
        }
        out.append("</tbody></table>\n");
        if (!p.approvals().isEmpty()) {
            out.append("<h3>Approvals</h3><ul class=\"checkpoints approvals\">");
            for (RolloutProgress.Decided d : p.approvals()) {
                out.append("<li>").append(pill(d.approved() ? "APPROVED" : "REJECTED")).append(" before wave <code>")
                        .append(esc(d.wave())).append("</code> by <b>").append(esc(d.by())).append("</b>")
                        .append(d.at() == null ? "" : " at " + esc(d.at()))
                        .append(d.comment().isEmpty() ? "" : " — " + esc(d.comment())).append("</li>");
            }
            out.append("</ul>\n");
        }
        out.append("</section>\n");
    }

    // ---- a rollout ----

    private static void rollout(StringBuilder out, Plan plan, RolloutResult r) {
        out.append("<section class=\"rollout\"><h2>Rollout <code>").append(esc(r.rollout())).append("</code> of plan <code>")
                .append(esc(r.plan())).append("</code> ").append(pill(r.status().name()))
                .append(r.dryRun() ? " <span class=\"pill dry\">DRY RUN</span>" : "").append("</h2>\n<dl class=\"facts\">");
        fact(out, "rollout id", r.rolloutId());
        fact(out, "started", instant(r.start()));
        fact(out, "finished", instant(r.end()));
        fact(out, "took", Durations.human(r.duration()));
        if (!r.reason().isEmpty()) {
            fact(out, r.resumeAt() != null ? "waiting for" : "reason", r.reason());
        }
        if (r.resumeAt() != null) {
            fact(out, "resume at or after", instant(r.resumeAt()));
        }
        fact(out, "targets", r.targets().size() + " in " + r.waves().size() + " wave(s), " + r.failed().size() + " failed");
        out.append("</dl>\n<h3>Waves</h3><table class=\"waves\"><thead><tr><th>wave</th><th>status</th><th>targets</th>"
                + "<th>succeeded</th><th>failed</th><th>cancelled</th><th>not started</th><th>concurrency</th>"
                + "<th>error budget</th><th>took</th><th>reason</th></tr></thead><tbody>");
        for (WaveResult w : r.waves()) {
            out.append("<tr><td class=\"name\">").append(esc(w.name())).append("<br/><span class=\"sub\">")
                    .append(esc(w.targetSource() == null ? "" : w.targetSource())).append("</span></td><td>")
                    .append(pill(w.status().name())).append("</td><td class=\"n\">").append(w.total());
            for (var s : dev.stepwise.core.rollout.TargetStatus.values()) {
                out.append("</td><td class=\"n\">").append(w.count(s));
            }
            out.append("</td><td>").append(esc(w.maxConcurrency() + (w.concurrency() > 0 ? " → " + w.concurrency() : "")
                    + (w.ramp() ? ", ramp " + w.rampStages() : ""))).append("</td><td>")
                    .append(esc(w.maxErrors() + " → " + w.errorBudget() + (w.strict() ? ", strict" : "")))
                    .append("</td><td class=\"n\">").append(esc(Durations.human(w.duration()))).append("</td><td>")
                    .append(esc(w.reason())).append("</td></tr>");
        }
        out.append("</tbody></table>\n");
        List<RunResult> runs = r.targets().stream().map(TargetResult::run).filter(Objects::nonNull).toList();
        diagram(out, plan, runs.isEmpty() ? List.of() : runs.get(0).steps(), badgesOf(runs, false));
        out.append("<h3>Timeline</h3><div class=\"scroll\">").append(Timeline.svg(rolloutBars(r), r.start(), r.end()))
                .append("</div>\n");
        for (WaveResult w : r.waves()) {
            wave(out, w);
        }
        out.append("</section>\n");
    }

    private static List<Timeline.Bar> rolloutBars(RolloutResult r) {
        List<Timeline.Bar> bars = new ArrayList<>();
        for (WaveResult w : r.waves()) {
            for (CheckpointResult c : w.checkpoints()) {
                bars.add(new Timeline.Bar(c.kind().name().toLowerCase(Locale.ROOT) + ": " + c.description(), c.start(),
                        c.end(), "cp " + statusClass(c.outcome().name()), 0, c.outcome() + (c.detail().isEmpty() ? "" : ", " + c.detail())));
            }
            bars.add(new Timeline.Bar("wave " + w.name(), w.start(), w.end(), "wave " + statusClass(w.status().name()), 0,
                    w.status().name()));
            List<TargetResult> ts = w.targets();
            for (TargetResult t : ts.subList(0, Math.min(ts.size(), TIMELINE_TARGETS_PER_WAVE))) {
                bars.add(new Timeline.Bar(t.target() + (t.canary() ? " (canary)" : ""), t.start(), t.end(),
                        statusClass(t.status().name()), 1, t.status().name() + (t.reason().isEmpty() ? "" : ": " + t.reason())));
            }
            if (ts.size() > TIMELINE_TARGETS_PER_WAVE) {
                bars.add(new Timeline.Bar("… " + (ts.size() - TIMELINE_TARGETS_PER_WAVE) + " more targets", null, null,
                        "", 1, "listed in the table below"));
            }
        }
        return bars;
    }

    private static void wave(StringBuilder out, WaveResult w) {
        out.append("<h3>Wave <code>").append(esc(w.name())).append("</code> ").append(pill(w.status().name())).append("</h3>");
        if (!w.checkpoints().isEmpty()) {
            out.append("<ul class=\"checkpoints\">");
            for (CheckpointResult c : w.checkpoints()) {
                out.append("<li>").append(pill(c.outcome().name())).append(' ').append(esc(c.kind().name().toLowerCase(Locale.ROOT)))
                        .append(" <q>").append(esc(c.description())).append("</q>");
                if (!c.detail().isEmpty()) {
                    out.append(" — ").append(esc(c.detail()));
                }
                if (c.detail().isEmpty()) {
                    c.approval().ifPresent(d -> out.append(" — ").append(esc(d.toString())));
                }
                out.append("</li>");
            }
            out.append("</ul>");
        }
        out.append("<table class=\"targets\"><thead><tr><th>target</th><th>status</th><th>took</th><th>steps</th>"
                + "<th>reason</th></tr></thead><tbody>");
        int detailed = 0;
        for (TargetResult t : w.targets()) {
            out.append("<tr><td class=\"name\">").append(esc(t.target())).append(t.canary() ? " <span class=\"sub\">canary</span>" : "")
                    .append("</td><td>").append(pill(t.status().name())).append("</td><td class=\"n\">")
                    .append(t.start() == null ? "" : esc(Durations.human(t.duration()))).append("</td><td>")
                    .append(t.run() == null ? "" : esc(counts(t.run()))).append("</td><td class=\"fail\">")
                    .append(esc(clip(t.reason(), MAX_TEXT))).append("</td></tr>");
            if (t.run() != null && detailed++ < STEP_TABLES_PER_WAVE) {
                out.append("<tr class=\"detail\"><td colspan=\"5\"><details><summary>steps of ").append(esc(t.target()))
                        .append(" (run ").append(esc(t.run().runId())).append(")</summary>");
                stepTable(out, t.run());
                out.append("</details></td></tr>");
            }
        }
        out.append("</tbody></table>\n");
        if (detailed > STEP_TABLES_PER_WAVE) {
            out.append("<p class=\"note\">Step tables are shown for the first ").append(STEP_TABLES_PER_WAVE)
                    .append(" targets that ran; the JSON result holds every run.</p>");
        }
    }

    private static String counts(RunResult run) {
        Map<StepStatus, Integer> n = new EnumMap<>(StepStatus.class);
        run.steps().forEach(s -> n.merge(s.status(), 1, Integer::sum));
        StringJoiner j = new StringJoiner(", ");
        n.forEach((s, c) -> j.add(c + " " + s.name().toLowerCase(Locale.ROOT).replace('_', ' ')));
        return j.toString();
    }

    // ---- shared parts ----

    private static void diagram(StringBuilder out, Plan plan, List<StepResult> rows, Function<String, PlanDiagram.Badge> badges) {
        out.append("<h3>Plan</h3>");
        if (plan != null) {
            if (!plan.description().isEmpty()) {
                out.append("<p class=\"note\">").append(esc(plan.description())).append("</p>");
            }
            out.append("<div class=\"scroll\">").append(PlanDiagram.svg(plan, badges)).append("</div>\n");
        } else if (rows != null && !rows.isEmpty()) {
            out.append("<p class=\"note\">Drawn from a target's rows, in plan order (the plan itself was not given): "
                    + "a branch's arms follow it on one line.</p><div class=\"scroll\">")
                    .append(PlanDiagram.svg(rows, badges)).append("</div>\n");
        } else {
            out.append("<p class=\"note\">No target ran, so there is nothing to draw the plan from.</p>");
        }
    }

    /** Per row name: a run's status, or, over many runs, how many rows ended in each status. */
    private static Function<String, PlanDiagram.Badge> badgesOf(List<RunResult> runs, boolean single) {
        Map<String, Map<StepStatus, Integer>> byRow = new LinkedHashMap<>();
        for (RunResult run : runs) {
            for (StepResult s : run.steps()) {
                byRow.computeIfAbsent(s.name(), k -> new EnumMap<>(StepStatus.class)).merge(s.status(), 1, Integer::sum);
            }
        }
        return name -> {
            Map<StepStatus, Integer> n = byRow.get(name);
            if (n == null) {
                return null;
            }
            StepStatus worst = n.containsKey(StepStatus.FAILED) ? StepStatus.FAILED : n.keySet().iterator().next();
            if (single) {
                return new PlanDiagram.Badge(worst.name(), statusClass(worst.name()));
            }
            StringJoiner j = new StringJoiner(", ");
            n.forEach((s, c) -> j.add(c + " " + s.name().toLowerCase(Locale.ROOT).replace('_', ' ')));
            return new PlanDiagram.Badge(j.toString(), statusClass(worst.name()));
        };
    }

    private static void keyValues(StringBuilder out, String heading, Map<String, ?> values) {
        if (values.isEmpty()) {
            return;
        }
        out.append("<details class=\"kv\"><summary>").append(esc(heading)).append(" (").append(values.size())
                .append(")</summary><table><tbody>");
        values.forEach((k, v) -> out.append("<tr><th>").append(esc(k)).append("</th><td><code>")
                .append(esc(clip(String.valueOf(v), MAX_TEXT))).append("</code></td></tr>"));
        out.append("</tbody></table></details>\n");
    }

    private static void fact(StringBuilder out, String name, String value) {
        out.append("<dt>").append(esc(name)).append("</dt><dd>").append(esc(value)).append("</dd>");
    }

    private static String instant(Instant i) {
        return i == null ? "" : i.toString();
    }

    private static String pill(String status) {
        return "<span class=\"pill " + statusClass(status) + "\">" + esc(status.replace('_', ' ')) + "</span>";
    }

    /** Statuses are enum names, so the class is safe as it is; anything else gets no colour. */
    private static String statusClass(String status) {
        return status.matches("[A-Z_]+") ? "st-" + status : "";
    }

    private static String legend() {
        return "<div class=\"legend\"><svg width=\"560\" height=\"30\" viewBox=\"0 0 560 30\">"
                + "<g class=\"step mut\"><rect x=\"2\" y=\"4\" width=\"40\" height=\"22\" rx=\"5\"/></g>"
                + "<text class=\"lg\" x=\"48\" y=\"20\">changing step</text>"
                + "<g class=\"step ro\"><rect x=\"150\" y=\"4\" width=\"40\" height=\"22\" rx=\"5\"/></g>"
                + "<text class=\"lg\" x=\"196\" y=\"20\">read-only step</text>"
                + "<g class=\"check\"><polygon points=\"308,4 338,4 346,15 338,26 308,26 300,15\"/></g>"
                + "<text class=\"lg\" x=\"352\" y=\"20\">precondition</text>"
                + "<g class=\"branch\"><polygon points=\"470,2 494,15 470,28 446,15\"/></g>"
                + "<text class=\"lg\" x=\"500\" y=\"20\">branch</text></svg></div>";
    }

    /** The page's only stylesheet, inline. */
    private static final class Css {
        static final String STYLE = String.join("\n",
                ":root{--ok:#2b8a3e;--bad:#c92a2a;--warn:#e67700;--pred:#6741d9;--grey:#868e96;--light:#ced4da}",
                "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#212529;"
                        + "margin:0 auto;padding:16px 28px 40px;max-width:1400px;background:#fff}",
                "h1{font-size:22px;margin:8px 0 4px}h2{font-size:18px;margin:28px 0 8px;padding-top:14px;border-top:2px solid #dee2e6}",
                "h3{font-size:15px;margin:20px 0 6px;color:#343a40}code{font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;"
                        + "white-space:pre-wrap;word-break:break-word}",
                ".note{color:#495057;margin:4px 0 8px}.sub{color:#6c757d;font-size:12px}",
                "dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0 10px}",
                "dl.facts dt{color:#6c757d}dl.facts dd{margin:0;word-break:break-word}",
                "details.kv{margin:4px 0}details.kv table{border-collapse:collapse;margin:4px 0 4px 16px}",
                "details.kv th{text-align:left;padding:2px 12px 2px 0;color:#495057;font-weight:600;vertical-align:top}",
                "summary{cursor:pointer;color:#1864ab}",
                "table.steps,table.waves,table.targets{border-collapse:collapse;width:100%;margin:6px 0 14px}",
                "table.steps th,table.waves th,table.targets th{text-align:left;background:#f1f3f5;border-bottom:1px solid #ced4da;"
                        + "padding:5px 8px;font-size:12px;color:#495057}",
                "table.steps td,table.waves td,table.targets td{border-bottom:1px solid #e9ecef;padding:5px 8px;vertical-align:top}",
                "td.n{text-align:right;white-space:nowrap}td.fail{color:var(--bad)}.name{font-weight:600}",
                "tr.detail td{border-bottom:none;padding:0 8px 6px 24px;background:#fafbfc}",
                "ul.pred,ul.checkpoints{margin:0;padding-left:16px}ul.pred li{margin:1px 0}",
                ".param{font:12px ui-monospace,Menlo,Consolas,monospace;color:#495057;word-break:break-all}",
                ".pill{display:inline-block;padding:1px 8px;border-radius:10px;font-size:11px;font-weight:700;color:#fff;"
                        + "background:var(--c,var(--grey));white-space:nowrap;vertical-align:middle}",
                ".pill.dry{background:#1971c2}",
                ".st-SUCCEEDED,.st-ENDED,.st-PASSED,.st-APPROVED{--c:var(--ok)}.st-WAITING,.st-STARTED,.st-RUNNING_OR_STOPPED{--c:#e67700}.st-FAILED,.st-HALTED,.st-REJECTED{--c:var(--bad)}",
                ".st-CANCELLED{--c:var(--warn)}.st-SUCCEEDED_WITHIN_BUDGET{--c:#5c940d}.st-PREDICTED{--c:var(--pred)}",
                ".st-SKIPPED,.st-NOT_EVALUATED{--c:var(--grey)}.st-NOT_REACHED,.st-NOT_STARTED{--c:#adb5bd}.st-RUNNING{--c:#1971c2}",
                ".scroll{overflow-x:auto;border:1px solid #e9ecef;border-radius:6px;padding:6px;background:#fcfcfd}",
                "svg text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif}",
                "svg.plan text{text-anchor:middle}svg.plan .name{font-size:12.5px;font-weight:600;fill:#212529}",
                "svg.plan .name.small{font-size:11.5px}svg.plan .kind{font-size:10.5px;fill:#6c757d}",
                "svg.plan .kind[class*=st-]{fill:var(--c)}",
                "svg.plan .arm{font-size:11px;fill:#495057;text-anchor:start;font-style:italic}",
                "svg tspan[class^=st-],svg text[class*=st-]{fill:var(--c);font-weight:700}",
                ".step.mut rect{fill:#fff4e6;stroke:#d9480f;stroke-width:2.2}",
                ".step.ro rect{fill:#e7f5ff;stroke:#1c7ed6;stroke-width:1.2;stroke-dasharray:5 3}",
                ".check polygon{fill:#f3f0ff;stroke:#7048e8;stroke-width:1.2}",
                ".branch polygon{fill:#fff9db;stroke:#f08c00;stroke-width:1.5}",
                "g.end rect{fill:#343a40;stroke:#212529}svg.plan g.end .name{fill:#fff}svg.plan g.end .kind{fill:#ced4da}",
                ".edge{stroke:#868e96;stroke-width:1.5;fill:none}.head{fill:#868e96}",
                ".finish circle{fill:#fff;stroke:#343a40;stroke-width:1.5}.finish circle.dot{fill:#343a40}",
                ".tick{stroke:#e9ecef;stroke-width:1}.axis{font-size:11px;fill:#6c757d;text-anchor:middle}",
                ".label{font-size:12px;fill:#343a40}.label.strong{font-weight:700}.dur{font-size:11px;fill:#495057}",
                ".dur.none{fill:#adb5bd;font-style:italic}.bar{fill:var(--c,var(--grey))}.bar.wave{opacity:.35}",
                ".bar.cp{fill:none;stroke:var(--c,var(--grey));stroke-width:1.5;stroke-dasharray:4 2}",
                ".legend{margin-top:24px}.legend .lg{font-size:12px;fill:#495057}",
                "footer{margin-top:20px;color:#868e96;font-size:12px;border-top:1px solid #e9ecef}");
    }
}
