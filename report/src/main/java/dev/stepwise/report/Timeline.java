package dev.stepwise.report;

import dev.stepwise.core.Durations;
import static dev.stepwise.report.Html.esc;
import static dev.stepwise.report.Html.num;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Draws rows of time bars on one shared axis as inline SVG: steps of a run, or waves, checkpoints and targets. */
final class Timeline {
    /**
     * One row: a label, its time span (both null when it never ran), the CSS class that colours it, how far the
     * label is indented (0 for waves, 1 for what is in them) and the text of its tooltip.
     */
    record Bar(String label, Instant start, Instant end, String cssClass, int level, String detail) {
    }

    private static final double LABEL_W = 280;
    private static final double CHART_W = 820;
    private static final double ROW_H = 22;
    private static final double AXIS_H = 28;
    private static final int TICKS = 6;
    private static final long[] ROUND_STEPS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000,
        30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000,
        43_200_000, 86_400_000};

    private Timeline() {
    }

    static String svg(List<Bar> bars, Instant from, Instant to) {
        Instant t0 = from != null ? from : bars.stream().map(Bar::start).filter(java.util.Objects::nonNull).min(Instant::compareTo)
                .orElse(Instant.EPOCH);
        Instant t1 = to != null ? to : bars.stream().map(Bar::end).filter(java.util.Objects::nonNull).max(Instant::compareTo)
                .orElse(t0);
        // a zero-length run (virtual time, a dry run) still gets an axis to draw its bars on
        double span = Math.max(1, Duration.between(t0, t1).toMillis());
        double width = LABEL_W + CHART_W + 90;
        double height = AXIS_H + ROW_H * bars.size() + 8;
        StringBuilder out = new StringBuilder();
        out.append("<svg class=\"timeline\" role=\"img\" aria-label=\"timeline\" width=\"").append(num(width))
                .append("\" height=\"").append(num(height)).append("\" viewBox=\"0 0 ").append(num(width)).append(' ')
                .append(num(height)).append("\">");
        long step = tickStep(span);
        for (long t = 0; t <= span; t += step) {
            double x = LABEL_W + CHART_W * t / span;
            out.append("<line class=\"tick\" x1=\"").append(num(x)).append("\" y1=\"").append(num(AXIS_H - 6))
                    .append("\" x2=\"").append(num(x)).append("\" y2=\"").append(num(height)).append("\"/>");
            out.append("<text class=\"axis\" x=\"").append(num(x)).append("\" y=\"").append(num(AXIS_H - 10)).append("\">")
                    .append(esc(t == 0 ? "0" : "+" + Durations.human(Duration.ofMillis(t)))).append("</text>");
        }
        double y = AXIS_H;
        for (Bar b : bars) {
            out.append("<g class=\"row\"><title>").append(esc(b.label())).append(b.detail().isEmpty() ? "" : " — ")
                    .append(esc(b.detail())).append("</title>");
            out.append("<text class=\"label").append(b.cssClass().startsWith("wave") ? " strong" : "").append("\" x=\"")
                    .append(num(8 + 14 * b.level())).append("\" y=\"").append(num(y + 15)).append("\">")
                    .append(esc(clipLabel(b.label(), b.level()))).append("</text>");
            if (b.start() != null && b.end() != null) {
                double x = LABEL_W + CHART_W * Duration.between(t0, b.start()).toMillis() / span;
                // instant steps still show as a sliver, so no row looks as if it never ran
                double w = Math.max(3, CHART_W * Duration.between(b.start(), b.end()).toMillis() / span);
                out.append("<rect class=\"bar ").append(esc(b.cssClass())).append("\" x=\"").append(num(x))
                        .append("\" y=\"").append(num(y + 4)).append("\" width=\"").append(num(w)).append("\" height=\"")
                        .append(num(ROW_H - 8)).append("\" rx=\"2\"/>");
                out.append("<text class=\"dur\" x=\"").append(num(Math.min(x + w + 5, LABEL_W + CHART_W + 4)))
                        .append("\" y=\"").append(num(y + 15)).append("\">")
                        .append(esc(Durations.human(Duration.between(b.start(), b.end())))).append("</text>");
            } else {
                out.append("<text class=\"dur none\" x=\"").append(num(LABEL_W + 4)).append("\" y=\"").append(num(y + 15))
                        .append("\">").append(esc(b.detail().isEmpty() ? "did not run" : b.detail())).append("</text>");
            }
            out.append("</g>");
            y += ROW_H;
        }
        out.append("</svg>");
        return out.toString();
    }

    /** The smallest round step that gives at most {@value #TICKS} intervals, so ticks read +10 min, not +10 min 24 s. */
    private static long tickStep(double spanMillis) {
        for (long step : ROUND_STEPS) {
            if (spanMillis / step <= TICKS) {
                return step;
            }
        }
        return (long) Math.ceil(spanMillis / TICKS / 86_400_000L) * 86_400_000L;
    }

    private static String clipLabel(String label, int level) {
        int max = 36 - 2 * level;
        return label.length() <= max ? label : label.substring(0, max - 1) + "…";
    }
}
