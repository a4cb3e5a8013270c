package dev.stepwise.report;

import static dev.stepwise.report.Html.esc;
import static dev.stepwise.report.Html.num;

import dev.stepwise.core.plan.Effect;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.PlanNode;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.StepResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Draws a plan as an inline SVG flowchart with its own layout, so the report needs no diagram library: the main
 * line runs straight down, a branch's "yes" arm continues below its diamond and its "no" arm to the right.
 */
final class PlanDiagram {
    /** A line of text under a node, such as its status in the run, with the CSS class that colours it. */
    record Badge(String text, String cssClass) {
    }

    private static final double STEP_W = 240;
    private static final double DIAMOND_W = 250;
    private static final double DIAMOND_H = 96;
    private static final double V_GAP = 30;
    private static final double H_GAP = 44;
    private static final double MERGE = 14;
    private static final double LINE = 15;
    private static final int CHARS = 31;
    private static final double MARGIN = 16;
    /** How a run names the rows of preconditions, branches and ends, before their text. */
    private static final String CHECK_ROW = "require: ";
    private static final String BRANCH_ROW = "branch: ";
    private static final String END_ROW = "end: ";

    private final Function<String, Badge> badges;

    private PlanDiagram(Function<String, Badge> badges) {
        this.badges = badges;
    }

    /** The plan's nodes, with {@code badges} giving each row's annotation by row name (or null for none). */
    static String svg(Plan plan, Function<String, Badge> badges) {
        PlanDiagram d = new PlanDiagram(badges);
        return d.render(d.sequence(plan.nodes()));
    }

    /**
     * The rows of a run, in order, for when the plan itself is not at hand: branches are drawn as decisions on the
     * main line, since rows do not say which arm a step belongs to.
     */
    static String svg(List<StepResult> rows, Function<String, Badge> badges) {
        PlanDiagram d = new PlanDiagram(badges);
        List<Block> blocks = new ArrayList<>();
        for (StepResult r : rows) {
            blocks.add(switch (r.kind()) {
                case STEP -> d.box(r.name(), r.effect(), "");
                case CHECK -> d.check(unprefixed(r.name(), CHECK_ROW));
                case BRANCH -> d.new Diamond(unprefixed(r.name(), BRANCH_ROW));
                case END -> d.end(unprefixed(r.name(), END_ROW), false);
            });
        }
        return d.render(d.new Sequence(blocks));
    }

    private static String unprefixed(String rowName, String prefix) {
        return rowName.startsWith(prefix) ? rowName.substring(prefix.length()) : rowName;
    }

    private String render(Block plan) {
        // a run that reaches the bottom of the plan finishes there: say so, rather than leave a line hanging
        Block root = plan.ends() ? plan : new Sequence(List.of(plan, new Finish()));
        double width = root.left() + root.right() + 2 * MARGIN;
        double height = root.height() + 2 * MARGIN;
        StringBuilder out = new StringBuilder();
        out.append("<svg class=\"plan\" role=\"img\" aria-label=\"plan diagram\" width=\"").append(num(width))
                .append("\" height=\"").append(num(height)).append("\" viewBox=\"0 0 ").append(num(width)).append(' ')
                .append(num(height)).append("\">");
        root.draw(out, MARGIN + root.left(), MARGIN);
        out.append("</svg>");
        return out.toString();
    }

    private Block sequence(List<PlanNode> nodes) {
        List<Block> blocks = new ArrayList<>();
        for (PlanNode n : nodes) {
            if (n instanceof PlanNode.StepNode s) {
                Step<?> step = s.step();
                blocks.add(box(step.name(), step.effect(), step.description()));
            } else if (n instanceof PlanNode.Require r) {
                blocks.add(check(r.description()));
            } else if (n instanceof PlanNode.Branch b) {
                blocks.add(new BranchBlock(new Diamond(b.description()), sequence(b.then()), sequence(b.otherwise())));
            } else if (n instanceof PlanNode.End e) {
                blocks.add(end(e.reason(), true));
            }
        }
        return new Sequence(blocks);
    }

    private Block box(String name, Effect effect, String description) {
        String kind = effect == Effect.MUTATING ? "mutating" : "read-only";
        return new Shape("step " + (effect == Effect.MUTATING ? "mut" : "ro"), name, name, kind, description, false);
    }

    private Block check(String description) {
        return new Shape("check", CHECK_ROW + description, CHECK_ROW + description, "precondition", "", false);
    }

    private Block end(String reason, boolean ends) {
        return new Shape("end", END_ROW + reason, END_ROW + reason, "end of run", "", ends);
    }

    private Badge badge(String rowName) {
        return badges.apply(rowName);
    }

    private static void arrow(StringBuilder out, double x, double y1, double y2) {
        out.append("<line class=\"edge\" x1=\"").append(num(x)).append("\" y1=\"").append(num(y1)).append("\" x2=\"")
                .append(num(x)).append("\" y2=\"").append(num(y2 - 5)).append("\"/>");
        out.append("<polygon class=\"head\" points=\"").append(num(x - 5)).append(',').append(num(y2 - 7)).append(' ')
                .append(num(x + 5)).append(',').append(num(y2 - 7)).append(' ').append(num(x)).append(',')
                .append(num(y2)).append("\"/>");
    }

    /** An arrow into an arm, or a plain line through an empty one. */
    private static void join(StringBuilder out, double x, double y1, double y2, Block arm) {
        if (arm.height() > 0) {
            arrow(out, x, y1, y2);
        } else {
            line(out, x, y1, x, y2);
        }
    }

    private static void line(StringBuilder out, double x1, double y1, double x2, double y2) {
        out.append("<line class=\"edge\" x1=\"").append(num(x1)).append("\" y1=\"").append(num(y1)).append("\" x2=\"")
                .append(num(x2)).append("\" y2=\"").append(num(y2)).append("\"/>");
    }

    private static void text(StringBuilder out, String cssClass, double x, double y, String text) {
        out.append("<text class=\"").append(cssClass).append("\" x=\"").append(num(x)).append("\" y=\"").append(num(y))
                .append("\">").append(esc(text)).append("</text>");
    }

    /** A laid-out part of the diagram: extents left and right of its centre line, and its height. */
    private interface Block {
        double left();

        double right();

        double height();

        /** Whether the run stops inside it (an end), so nothing is drawn below it. */
        boolean ends();

        void draw(StringBuilder out, double cx, double top);
    }

    /** A box (step), a hexagon (precondition) or a rounded terminal (end), with wrapped text and a badge line. */
    private final class Shape implements Block {
        private final String cssClass;
        private final String title;
        private final List<String> lines;
        private final String kind;
        private final String tooltip;
        private final Badge badge;
        private final boolean ends;
        private final double height;

        Shape(String cssClass, String rowName, String title, String kind, String tooltip, boolean ends) {
            this.cssClass = cssClass;
            this.title = title;
            this.lines = Html.wrap(title, CHARS, 2);
            this.kind = kind;
            this.tooltip = tooltip;
            this.badge = badge(rowName);
            this.ends = ends;
            this.height = 22 + LINE * lines.size() + 8 + (badge == null ? 0 : LINE - 2);
        }

        @Override
        public double left() {
            return STEP_W / 2;
        }

        @Override
        public double right() {
            return STEP_W / 2;
        }

        @Override
        public double height() {
            return height;
        }

        @Override
        public boolean ends() {
            return ends;
        }

        @Override
        public void draw(StringBuilder out, double cx, double top) {
            double x = cx - STEP_W / 2;
            out.append("<g class=\"").append(cssClass).append("\"><title>").append(esc(title))
                    .append(tooltip.isEmpty() ? "" : " — " + esc(tooltip)).append("</title>");
            if (cssClass.equals("check")) {
                double in = 12;
                out.append("<polygon points=\"").append(num(x + in)).append(',').append(num(top)).append(' ')
                        .append(num(x + STEP_W - in)).append(',').append(num(top)).append(' ')
                        .append(num(x + STEP_W)).append(',').append(num(top + height / 2)).append(' ')
                        .append(num(x + STEP_W - in)).append(',').append(num(top + height)).append(' ')
                        .append(num(x + in)).append(',').append(num(top + height)).append(' ')
                        .append(num(x)).append(',').append(num(top + height / 2)).append("\"/>");
            } else {
                double rx = cssClass.equals("end") ? height / 2 : 5;
                out.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(top)).append("\" width=\"")
                        .append(num(STEP_W)).append("\" height=\"").append(num(height)).append("\" rx=\"").append(num(rx))
                        .append("\"/>");
            }
            double y = top + 18;
            for (String l : lines) {
                text(out, "name", cx, y, l);
                y += LINE;
            }
            text(out, "kind", cx, y + 1, kind);
            if (badge != null) {
                text(out, "kind " + badge.cssClass(), cx, y + 1 + LINE - 2, badge.text());
            }
            out.append("</g>");
        }
    }

    /** A branch's decision. */
    private final class Diamond implements Block {
        private final String description;
        private final List<String> lines;
        private final Badge badge;

        Diamond(String description) {
            this.description = description;
            this.lines = Html.wrap(description, 26, 3);
            this.badge = badge(BRANCH_ROW + description);
        }

        @Override
        public double left() {
            return DIAMOND_W / 2;
        }

        @Override
        public double right() {
            return DIAMOND_W / 2;
        }

        @Override
        public double height() {
            return DIAMOND_H;
        }

        @Override
        public boolean ends() {
            return false;
        }

        @Override
        public void draw(StringBuilder out, double cx, double top) {
            double mid = top + DIAMOND_H / 2;
            out.append("<g class=\"branch\"><title>").append(esc(description)).append("</title><polygon points=\"")
                    .append(num(cx)).append(',').append(num(top)).append(' ')
                    .append(num(cx + DIAMOND_W / 2)).append(',').append(num(mid)).append(' ')
                    .append(num(cx)).append(',').append(num(top + DIAMOND_H)).append(' ')
                    .append(num(cx - DIAMOND_W / 2)).append(',').append(num(mid)).append("\"/>");
            int rows = lines.size() + (badge == null ? 0 : 1);
            double y = mid - (rows - 1) * 13 / 2.0 + 4;
            for (String l : lines) {
                text(out, "name small", cx, y, l);
                y += 13;
            }
            if (badge != null) {
                text(out, "kind " + badge.cssClass(), cx, y, badge.text());
            }
            out.append("</g>");
        }
    }

    /** A decision with its "yes" arm below and its "no" arm to the right, joining again below both. */
    private final class BranchBlock implements Block {
        private final Diamond diamond;
        private final Block then;
        private final Block otherwise;
        private final double dx;

        BranchBlock(Diamond diamond, Block then, Block otherwise) {
            this.diamond = diamond;
            this.then = then;
            this.otherwise = otherwise;
            this.dx = Math.max(then.right() + H_GAP + otherwise.left(), DIAMOND_W / 2 + 30);
        }

        @Override
        public double left() {
            return Math.max(DIAMOND_W / 2, then.left());
        }

        @Override
        public double right() {
            return Math.max(DIAMOND_W / 2, dx + otherwise.right());
        }

        private double armsTop() {
            return DIAMOND_H + V_GAP;
        }

        @Override
        public double height() {
            return armsTop() + Math.max(then.height(), otherwise.height()) + (ends() ? 0 : MERGE);
        }

        @Override
        public boolean ends() {
            return then.ends() && otherwise.ends();
        }

        @Override
        public void draw(StringBuilder out, double cx, double top) {
            diamond.draw(out, cx, top);
            double armsTop = top + armsTop();
            double bottom = top + height();
            double ox = cx + dx;
            join(out, cx, top + DIAMOND_H, armsTop, then);
            text(out, "arm", cx + 8, top + DIAMOND_H + 15, "yes");
            line(out, cx + DIAMOND_W / 2, top + DIAMOND_H / 2, ox, top + DIAMOND_H / 2);
            text(out, "arm", cx + DIAMOND_W / 2 + 8, top + DIAMOND_H / 2 - 6, "no");
            join(out, ox, top + DIAMOND_H / 2, armsTop, otherwise);
            then.draw(out, cx, armsTop);
            otherwise.draw(out, ox, armsTop);
            if (!then.ends()) {
                line(out, cx, armsTop + then.height(), cx, bottom);
            }
            if (!otherwise.ends()) {
                line(out, ox, armsTop + otherwise.height(), ox, bottom);
                line(out, ox, bottom, cx, bottom);
            }
        }
    }

    /** Where a run that reaches the end of the plan finishes. */
    private static final class Finish implements Block {
        @Override
        public double left() {
            return 10;
        }

        @Override
        public double right() {
            return 10;
        }

        @Override
        public double height() {
            return 18;
        }

        @Override
        public boolean ends() {
            return true;
        }

        @Override
        public void draw(StringBuilder out, double cx, double top) {
            out.append("<g class=\"finish\"><title>the run finishes</title><circle cx=\"").append(num(cx)).append("\" cy=\"")
                    .append(num(top + 9)).append("\" r=\"8\"/><circle class=\"dot\" cx=\"").append(num(cx)).append("\" cy=\"")
                    .append(num(top + 9)).append("\" r=\"4.5\"/></g>");
        }
    }

    /** Blocks stacked down the centre line, joined by arrows. */
    private final class Sequence implements Block {
        private final List<Block> blocks;

        Sequence(List<Block> blocks) {
            this.blocks = List.copyOf(blocks);
        }

        @Override
        public double left() {
            return blocks.stream().mapToDouble(Block::left).max().orElse(0);
        }

        @Override
        public double right() {
            return blocks.stream().mapToDouble(Block::right).max().orElse(0);
        }

        @Override
        public double height() {
            return blocks.stream().mapToDouble(Block::height).sum() + V_GAP * Math.max(0, blocks.size() - 1);
        }

        @Override
        public boolean ends() {
            return !blocks.isEmpty() && blocks.get(blocks.size() - 1).ends();
        }

        @Override
        public void draw(StringBuilder out, double cx, double top) {
            double y = top;
            for (int i = 0; i < blocks.size(); i++) {
                if (i > 0) {
                    arrow(out, cx, y, y + V_GAP);
                    y += V_GAP;
                }
                blocks.get(i).draw(out, cx, y);
                y += blocks.get(i).height();
            }
        }
    }
}
