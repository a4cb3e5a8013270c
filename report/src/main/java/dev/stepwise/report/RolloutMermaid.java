package dev.stepwise.report;

import dev.stepwise.core.rollout.Checkpoint;
import dev.stepwise.core.rollout.CheckpointResult;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.TargetStatus;
import dev.stepwise.core.rollout.Wave;
import dev.stepwise.core.rollout.WaveResult;
import java.util.Locale;
import java.util.Objects;

/**
 * A rollout as a Mermaid flowchart (left to right): each checkpoint (soak, gate, approval, window, announcement) as
 * a hexagon, each wave as a box with its limits, in the order they run. Drawn from a {@link Rollout} it shows the
 * plan of the rollout; drawn from a {@link RolloutResult} each node also carries its outcome and a colour, and each
 * wave its target counts. Paste it into any Markdown that renders Mermaid (GitHub, GitLab, many wikis).
 *
 * <p>Labels are quoted and every character outside letters, digits, space and {@code . , : / ( ) _ -} is written
 * as a Mermaid entity code ({@code #60;} for {@code <}), so no name or description can change the chart's
 * structure. Stateless and thread-safe.
 *
 * <pre>{@code
 * System.out.println(RolloutMermaid.of(rollout));
 * Files.writeString(Path.of("rollout.mmd"), RolloutMermaid.of(result));
 * }</pre>
 */
public final class RolloutMermaid {
    private RolloutMermaid() {
    }

    /** The rollout as configured: its waves with their limits, and the checkpoints before each. */
    public static String of(Rollout rollout) {
        Objects.requireNonNull(rollout, "rollout");
        StringBuilder out = header("rollout " + rollout.name() + " of plan " + rollout.plan().name(), null);
        String previous = "start";
        int n = 0;
        for (Wave w : rollout.waves()) {
            for (Checkpoint c : rollout.checkpointsBefore(w)) {
                String id = "c" + n++;
                out.append("  ").append(id).append("{{\"").append(label(kind(c.kind()) + ": " + c.description()))
                        .append("\"}}\n");
                out.append("  ").append(previous).append(" --> ").append(id).append('\n');
                previous = id;
            }
            String id = "w" + n++;
            out.append("  ").append(id).append("[\"").append(lines("wave " + w.name(), "concurrency "
                    + w.maxConcurrency() + ", errors " + w.maxErrors() + (w.ramp() ? ", ramp" : "")
                    + (w.strict() ? ", strict" : ""))).append("\"]\n");
            out.append("  ").append(previous).append(" --> ").append(id).append('\n');
            previous = id;
        }
        out.append("  ").append(previous).append(" --> finish((\"end\"))\n");
        return out.toString();
    }

    /** The rollout as it went: every node with its outcome, each wave with its counts, coloured by status. */
    public static String of(RolloutResult result) {
        Objects.requireNonNull(result, "result");
        StringBuilder out = header("rollout " + result.rollout() + " (" + result.rolloutId() + ")"
                + (result.dryRun() ? " dry run" : ""), result.status().name());
        String previous = "start";
        int n = 0;
        for (WaveResult w : result.waves()) {
            for (CheckpointResult c : w.checkpoints()) {
                String id = "c" + n++;
                out.append("  ").append(id).append("{{\"").append(lines(kind(c.kind()) + ": " + c.description(),
                        c.outcome() + (c.detail().isEmpty() ? "" : ": " + c.detail()))).append("\"}}:::")
                        .append(cls(c.outcome().name())).append('\n');
                out.append("  ").append(previous).append(" --> ").append(id).append('\n');
                previous = id;
            }
            String id = "w" + n++;
            out.append("  ").append(id).append("[\"").append(lines("wave " + w.name(), w.status().name(), ""
                    + w.count(TargetStatus.SUCCEEDED) + " succeeded, " + w.count(TargetStatus.FAILED) + " failed, "
                    + w.count(TargetStatus.CANCELLED) + " cancelled, " + w.count(TargetStatus.NOT_STARTED)
                    + " not started of " + w.total())).append("\"]:::").append(cls(w.status().name())).append('\n');
            out.append("  ").append(previous).append(" --> ").append(id).append('\n');
            previous = id;
        }
        out.append("  ").append(previous).append(" --> finish((\"").append(label(result.status().name()
                + (result.resumeAt() != null ? " until " + result.resumeAt() : ""))).append("\")):::")
                .append(cls(result.status().name())).append('\n');
        out.append("  classDef ok fill:#d3f9d8,stroke:#2b8a3e\n");
        out.append("  classDef bad fill:#ffe3e3,stroke:#c92a2a\n");
        out.append("  classDef wait fill:#fff3bf,stroke:#e67700\n");
        out.append("  classDef idle fill:#f1f3f5,stroke:#868e96\n");
        return out.toString();
    }

    private static StringBuilder header(String title, String status) {
        StringBuilder out = new StringBuilder("flowchart LR\n");
        out.append("  start((\"").append(label(title)).append("\"))");
        if (status != null) {
            out.append(":::").append(cls(status));
        }
        return out.append('\n');
    }

    private static String kind(Checkpoint.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** Statuses map onto four classes; the class names are fixed words, never text from the result. */
    private static String cls(String status) {
        return switch (status) {
            case "SUCCEEDED", "SUCCEEDED_WITHIN_BUDGET", "PASSED" -> "ok";
            case "HALTED", "FAILED", "REJECTED" -> "bad";
            case "WAITING", "RUNNING", "CANCELLED" -> "wait";
            default -> "idle";
        };
    }

    /** Label lines, each escaped, joined by Mermaid's line break. */
    private static String lines(String... parts) {
        StringBuilder out = new StringBuilder();
        for (String p : parts) {
            out.append(out.length() == 0 ? "" : "<br/>").append(label(p));
        }
        return out.toString();
    }

    /** Quoted Mermaid label text: anything but a small safe set becomes an entity code, so nothing can break out. */
    static String label(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        s.codePoints().forEach(cp -> {
            boolean safe = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')
                    || " .,:/()_-".indexOf(cp) >= 0;
            if (safe) {
                out.appendCodePoint(cp);
            } else if (cp < 0x20 || cp == 0x7f) {
                out.append(' ');
            } else {
                out.append('#').append(cp).append(';');
            }
        });
        return out.toString();
    }
}
