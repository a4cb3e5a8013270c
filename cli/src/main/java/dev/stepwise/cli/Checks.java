package dev.stepwise.cli;

import dev.stepwise.aviatrix.CloudType;
import dev.stepwise.aviatrix.ControllerVersion;
import dev.stepwise.core.PlanValidationException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules for option values, checked before any remote call. Options arrive as text and are checked here rather
 * than by picocli's converters, so that an error never echoes a value that may carry a secret (an address with
 * user info or a token in its query).
 */
final class Checks {
    static final Pattern INSTANCE_ID = Pattern.compile("i-([0-9a-f]{8}|[0-9a-f]{17})");
    static final Pattern SUBNET = Pattern.compile("SelectedInstanceSubnet|CreateNewVPC|subnet-([0-9a-f]{8}|[0-9a-f]{17})");
    static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final Pattern TAG = Pattern.compile("([^=,]+)=([^=]+)");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)([smhd])");

    private Checks() {
    }

    static String matching(String flag, String value, Pattern rule) {
        if (!rule.matcher(value).matches()) {
            throw new UsageException(flag + " \"" + value + "\" does not match " + rule.pattern());
        }
        return value;
    }

    /** One EC2 tag key and the values that select instances. */
    record Tag(String key, List<String> values) {
        static Tag parse(String flag, String text) {
            Matcher m = TAG.matcher(text);
            List<String> values = m.matches() ? List.of(m.group(2).split(",", -1)) : List.of();
            if (!m.matches() || m.group(1).isBlank() || values.stream().anyMatch(String::isBlank)) {
                throw new UsageException(flag + " \"" + text + "\" must be KEY=VALUE[,VALUE…] with no empty key or value, "
                        + "e.g. Env=dev,test");
            }
            return new Tag(m.group(1).strip(), values.stream().map(String::strip).toList());
        }
    }

    /**
     * An address as typed, for a usage error: whole unless it carries user info, a query or a fragment, which may
     * hold a password or token; then only its scheme.
     */
    static String shown(String typed) {
        if (!typed.matches(".*[@?#].*")) {
            return typed;
        }
        int end = typed.indexOf("://");
        String scheme = end < 0 ? "" : typed.substring(0, end);
        return (scheme.matches("[A-Za-z][A-Za-z0-9+.-]*") ? scheme + "://" : "") + "…";
    }

    static URI uri(String flag, String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new UsageException(flag + " \"" + shown(text) + "\" is not a URL: " + e.getReason());
        }
    }

    static URI endpoint(String text) {
        URI uri = uri("--endpoint", text);
        if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
            throw new UsageException("--endpoint \"" + shown(text) + "\" must be an absolute http:// or https:// URL");
        }
        return uri;
    }

    static URI controller(String text) {
        URI uri = uri("--controller", text);
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
            // the password travels in the login request: never over plain HTTP to a real controller
            throw new UsageException("--controller \"" + shown(text) + "\" must be an https://HOST[:PORT] address");
        }
        return uri;
    }

    static CloudType cloud(String text) {
        try {
            return CloudType.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--backup-cloud \"" + text + "\" must be one of " + Arrays.toString(CloudType.values()));
        }
    }

    static Duration duration(String flag, String text) {
        Matcher m = SHORT_DURATION.matcher(text);
        Duration d;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else {
            try {
                d = Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw new UsageException(flag + " \"" + text + "\" must be a number and a unit (30m, 12h, 7d) or ISO-8601 "
                        + "(PT12H, P7D)");
            }
        }
        if (d.isNegative()) {
            throw new UsageException(flag + " \"" + text + "\" must not be negative");
        }
        return d;
    }

    /** Reads the release train: one version per line, blank lines and # comments ignored, each a controller version. */
    static List<String> train(String file) {
        Path path = Path.of(file);
        List<String> lines;
        try {
            lines = Files.readAllLines(path);
        } catch (IOException e) {
            throw new UsageException("--train-file \"" + file + "\" cannot be read: " + e);
        }
        List<String> train = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String entry = lines.get(i).replaceFirst("#.*", "").strip();
            if (entry.isEmpty()) {
                continue;
            }
            try {
                ControllerVersion.parse(entry);
            } catch (PlanValidationException e) {
                throw new UsageException("--train-file \"" + file + "\" line " + (i + 1) + ": \"" + entry
                        + "\" is not a controller version; accepted forms: " + ControllerVersion.ACCEPTED_FORMS);
            }
            train.add(entry);
        }
        if (train.isEmpty()) {
            throw new UsageException("--train-file \"" + file + "\" lists no release: give one controller version per line");
        }
        return train;
    }
}
