package dev.stepwise.report;

import java.time.Duration;
import java.util.Locale;
import org.owasp.encoder.Encode;

/** Escaping and formatting shared by the report's parts. */
final class Html {
    private Html() {
    }

    /**
     * Escapes text for element content and quoted attribute values alike, through the OWASP Java Encoder's XML
     * context, so the page is well-formed XML as well as HTML: {@code & < > " '} become entities, and characters
     * XML forbids (most C0 controls, unpaired surrogates, U+FFFE, U+FFFF) become spaces, so a step's raw output can
     * never make the page unparseable.
     */
    static String esc(Object value) {
        return value == null ? "" : Encode.forXml(String.valueOf(value));
    }

    /** Shortens {@code s} to {@code max} characters, saying how much was left out (scripts in predictions run long). */
    static String clip(String s, int max) {
        if (s == null || s.length() <= max) {
            return s == null ? "" : s;
        }
        return s.substring(0, max) + "… (" + (s.length() - max) + " more characters)";
    }

    /** A number for SVG coordinates: always a dot as the decimal separator, whatever the default locale. */
    static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** Splits {@code text} into at most {@code maxLines} lines of about {@code width} characters, for SVG text. */
    static java.util.List<String> wrap(String text, int width, int maxLines) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.strip().split("\\s+")) {
            while (word.length() > width) {
                if (line.length() > 0) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                lines.add(word.substring(0, width));
                word = word.substring(width);
            }
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        if (lines.size() > maxLines) {
            java.util.List<String> cut = new java.util.ArrayList<>(lines.subList(0, maxLines));
            String last = cut.get(maxLines - 1);
            cut.set(maxLines - 1, (last.length() >= width ? last.substring(0, width - 1) : last) + "…");
            return cut;
        }
        return lines;
    }
}
