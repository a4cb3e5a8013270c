package dev.stepwise.examples.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A GitHub-flavoured Markdown table whose columns are padded to line up in plain text too. Columns are
 * left-aligned unless {@link #rightAligned} says otherwise.
 *
 * <p>Not thread-safe: build it on one thread.
 *
 * <pre>{@code
 * String md = MarkdownTable.of("N", "calls").rightAligned(0, 1).row("100", "8").toString();
 * }</pre>
 */
public final class MarkdownTable {
    private final List<String> headers;
    private final boolean[] right;
    private final List<List<String>> rows = new ArrayList<>();

    private MarkdownTable(List<String> headers) {
        this.headers = List.copyOf(headers);
        this.right = new boolean[headers.size()];
    }

    /** A table with these column headers, all left-aligned. */
    public static MarkdownTable of(String... headers) {
        if (headers.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column, but none was given");
        }
        return new MarkdownTable(List.of(headers));
    }

    /** Aligns the given columns (0-based) to the right, for numbers. */
    public MarkdownTable rightAligned(int... columns) {
        for (int c : columns) {
            if (c < 0 || c >= right.length) {
                throw new IllegalArgumentException("column " + c + " is not between 0 and " + (right.length - 1));
            }
            right[c] = true;
        }
        return this;
    }

    /** Adds a row; it must have one cell per column. A {@code |} in a cell is escaped. */
    public MarkdownTable row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, but the table has "
                    + headers.size() + " columns " + headers);
        }
        List<String> r = new ArrayList<>(cells.length);
        for (String c : cells) {
            r.add(Objects.requireNonNull(c, "cell").replace("|", "\\|").replace('\n', ' '));
        }
        rows.add(r);
        return this;
    }

    /** The table as Markdown, one line per row, ending with a line break. */
    @Override
    public String toString() {
        int[] width = new int[headers.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = Math.max(3, headers.get(c).length());
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        StringBuilder b = new StringBuilder();
        line(b, headers, width);
        b.append('|');
        for (int c = 0; c < width.length; c++) {
            b.append(' ').append("-".repeat(width[c] - 1)).append(right[c] ? ':' : '-').append(" |");
        }
        b.append('\n');
        for (List<String> r : rows) {
            line(b, r, width);
        }
        return b.toString();
    }

    private void line(StringBuilder b, List<String> cells, int[] width) {
        b.append('|');
        for (int c = 0; c < width.length; c++) {
            String pad = " ".repeat(width[c] - cells.get(c).length());
            b.append(' ').append(right[c] ? pad + cells.get(c) : cells.get(c) + pad).append(" |");
        }
        b.append('\n');
    }
}
