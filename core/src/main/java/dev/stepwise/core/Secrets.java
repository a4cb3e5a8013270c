package dev.stepwise.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeping secrets out of messages, logs and renderings: what Stepwise itself uses, public so that providers and
 * users writing their own steps, notifiers or clients mask the same way.
 *
 * <p>{@link #mask} blanks a secret in every form it takes on the wire, character by character: as is;
 * percent-encoded (UTF-8 bytes, upper- or lower-case hex, a space as {@code +} or {@code %20}, whichever characters
 * the encoder left alone); JSON-escaped (&#92;u00f6, {@code \"}, {@code \\}, {@code \/}, {@code \n} …); and
 * HTML-escaped ({@code &amp;}, {@code &#64;}, {@code &#x40;} …) — so a server that echoes a login form or a
 * request body cannot leak it. {@link #uri(URI)} shows an address without its user info, path, query or fragment.
 * Stateless and thread-safe.
 */
public final class Secrets {
    /** What a secret is replaced with. */
    public static final String MASK = "****";

    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:");
    private static final Pattern HOST_LIKE = Pattern.compile("[A-Za-z0-9.-]+");
    private static final Pattern BARE_OPAQUE = Pattern.compile("[A-Za-z0-9.-]*");

    private Secrets() {
    }

    /**
     * {@code text} with every secret in {@code secrets} replaced by {@link #MASK}, in any of the forms above;
     * null and empty secrets are ignored, longer secrets are masked first. A null text gives "".
     */
    public static String mask(String text, Collection<String> secrets) {
        if (text == null) {
            return "";
        }
        List<String> ordered = new ArrayList<>();
        for (String s : secrets) {
            if (s != null && !s.isEmpty()) {
                ordered.add(s);
            }
        }
        ordered.sort(Comparator.comparingInt(String::length).reversed());
        String out = text;
        for (String s : ordered) {
            out = pattern(s).matcher(out).replaceAll(Matcher.quoteReplacement(MASK));
        }
        return out;
    }

    /** {@code text} with {@code secrets} masked, as {@link #mask(String, Collection)}. */
    public static String mask(String text, String... secrets) {
        return mask(text, java.util.Arrays.asList(secrets));
    }

    /** A pattern matching {@code secret} in every form {@link #mask} names, mixed freely character by character. */
    public static Pattern pattern(String secret) {
        StringBuilder re = new StringBuilder();
        secret.codePoints().forEach(cp -> re.append(forms(cp)));
        return Pattern.compile(re.toString());
    }

    private static String forms(int cp) {
        List<String> alts = new ArrayList<>();
        String raw = new String(Character.toChars(cp));
        alts.add(Pattern.quote(raw));
        StringBuilder pct = new StringBuilder();
        for (byte b : raw.getBytes(StandardCharsets.UTF_8)) {
            pct.append('%').append(hex(b & 0xff, 2));
        }
        alts.add(pct.toString());
        StringBuilder json = new StringBuilder();
        for (char c : raw.toCharArray()) {
            json.append("\\\\u").append(hex(c, 4));
        }
        alts.add(json.toString());
        alts.add("&#0*" + cp + ";");
        alts.add("&#[xX]0*" + hex(cp, Integer.toHexString(cp).length()) + ";");
        switch (cp) {
            case ' ' -> alts.add("\\+");
            case '"' -> {
                alts.add("\\\\\"");
                alts.add("&quot;");
            }
            case '\\' -> alts.add("\\\\\\\\");
            case '/' -> alts.add("\\\\/");
            case '\n' -> alts.add("\\\\n");
            case '\r' -> alts.add("\\\\r");
            case '\t' -> alts.add("\\\\t");
            case '\b' -> alts.add("\\\\b");
            case '\f' -> alts.add("\\\\f");
            case '&' -> alts.add("&amp;");
            case '<' -> alts.add("&lt;");
            case '>' -> alts.add("&gt;");
            case '\'' -> alts.add("&apos;");
            default -> {
                // no short escape
            }
        }
        return "(?:" + String.join("|", alts) + ")";
    }

    /** {@code value} as {@code digits} hex digits, each letter matching either case. */
    private static String hex(int value, int digits) {
        String h = String.format(Locale.ROOT, "%0" + digits + "x", value);
        StringBuilder re = new StringBuilder();
        for (char c : h.toCharArray()) {
            re.append(Character.isLetter(c) ? "[" + c + Character.toUpperCase(c) + "]" : String.valueOf(c));
        }
        return re.toString();
    }

    /**
     * {@code u} as it may be shown: {@code scheme://host[:port]}, with {@code …@} before the host if it carried user
     * info and {@code /…} after it if it had a path, query or fragment. A host Java cannot parse is shown from the
     * raw authority with anything up to its last {@code @} cut off; an address without an authority shows its scheme
     * only, and a bare host name typed without a scheme shows as typed.
     */
    public static String uri(URI u) {
        String scheme = u.getScheme() == null ? "" : u.getScheme() + ":";
        if (u.getScheme() == null && u.getRawAuthority() == null && u.getRawQuery() == null
                && u.getRawFragment() == null && u.getRawPath() != null && HOST_LIKE.matcher(u.getRawPath()).matches()) {
            // a host name typed without its scheme
            return u.getRawPath();
        }
        if (u.isOpaque() || u.getRawAuthority() == null) {
            boolean more = u.isOpaque() || (u.getRawPath() != null && !u.getRawPath().isEmpty())
                    || u.getRawQuery() != null || u.getRawFragment() != null;
            return scheme + (more ? "…" : "");
        }
        String authority = u.getRawAuthority();
        int at = authority.lastIndexOf('@');
        String host;
        if (u.getHost() != null) {
            host = u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
        } else {
            host = authority.substring(at + 1);
        }
        String path = u.getRawPath();
        boolean more = (path != null && !path.isEmpty() && !path.equals("/")) || u.getRawQuery() != null
                || u.getRawFragment() != null;
        return scheme + "//" + (at >= 0 ? "…@" : "") + host + (more ? "/…" : "");
    }

    /**
     * An address as typed, for a message about it: whole when it parses and is bare ({@code scheme://host[:port]},
     * or {@code host:port}); else as {@link #uri(URI)}; text that does not parse shows only its scheme.
     */
    public static String uri(String typed) {
        try {
            URI u = new URI(typed);
            boolean bare = u.isOpaque() ? BARE_OPAQUE.matcher(u.getRawSchemeSpecificPart()).matches()
                    : u.getRawUserInfo() == null && u.getRawQuery() == null && u.getRawFragment() == null
                            && (u.getRawAuthority() == null || !u.getRawAuthority().contains("@"))
                            && (u.getRawPath() == null || u.getRawPath().isEmpty() || u.getRawPath().equals("/"));
            return bare ? typed : uri(u);
        } catch (URISyntaxException e) {
            Matcher m = SCHEME.matcher(typed);
            return m.lookingAt() ? m.group() + "…" : "…";
        }
    }
}
