package dev.stepwise.examples.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The flags one command accepts, and a parser for them: {@code --name value}, {@code --name=value} and switches.
 * Small on purpose: an in-house tool with three commands does not need a dependency for this. Not thread-safe.
 */
final class Flags {
    /** A flag: its value's placeholder ({@code null} for a switch), its help, and whether it may be repeated. */
    private record Spec(String name, String value, String help, boolean repeatable) {
    }

    private final String command;
    private final String summary;
    private final Map<String, Spec> specs = new LinkedHashMap<>();

    Flags(String command, String summary) {
        this.command = command;
        this.summary = summary;
    }

    Flags value(String name, String placeholder, String help) {
        specs.put(name, new Spec(name, placeholder, help, false));
        return this;
    }

    Flags repeatable(String name, String placeholder, String help) {
        specs.put(name, new Spec(name, placeholder, help, true));
        return this;
    }

    Flags toggle(String name, String help) {
        specs.put(name, new Spec(name, null, help, false));
        return this;
    }

    /** Whether {@code args} ask for this command's help. */
    static boolean wantsHelp(List<String> args) {
        return args.contains("--help") || args.contains("-h");
    }

    /** @throws UsageException for an unknown, repeated or value-less flag, or a stray argument */
    Parsed parse(List<String> args) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new UsageException(command + ": unexpected argument \"" + arg + "\": every option is a --flag; "
                        + "see " + command + " --help");
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (name.equals("--password")) {
                // a password in argv is readable by every user on the host (ps) and lands in shell history
                throw new UsageException(command + ": --password is not accepted, because a password on the command "
                        + "line is visible to other users and kept in shell history; set AVIATRIX_PASSWORD or let the "
                        + "tool prompt for it");
            }
            Spec spec = specs.get(name);
            if (spec == null) {
                throw new UsageException(command + ": unknown flag " + name + " (flags: " + String.join(", ", specs.keySet())
                        + ")");
            }
            String value;
            if (spec.value() == null) {
                if (eq >= 0) {
                    throw new UsageException(command + ": " + name + " is a switch and takes no value (given \""
                            + arg.substring(eq + 1) + "\")");
                }
                value = "true";
            } else if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                value = args.get(++i);
            } else {
                throw new UsageException(command + ": " + name + " needs a value: " + name + " " + spec.value());
            }
            List<String> seen = values.computeIfAbsent(name, k -> new ArrayList<>());
            if (!seen.isEmpty() && !spec.repeatable()) {
                throw new UsageException(command + ": " + name + " is given more than once (\"" + seen.get(0) + "\", \""
                        + value + "\"); give it once");
            }
            seen.add(value);
        }
        return new Parsed(command, values);
    }

    /** The command's help: what it does, then one line per flag. */
    String help() {
        StringBuilder out = new StringBuilder("Usage: stepwise ").append(command).append(" [flags]\n\n").append(summary)
                .append("\n\nFlags:\n");
        for (Spec s : specs.values()) {
            String left = s.name() + (s.value() == null ? "" : " " + s.value()) + (s.repeatable() ? " …" : "");
            out.append(String.format("  %-34s %s%n", left, s.help()));
        }
        out.append(String.format("  %-34s %s%n", "--help", "show this help"));
        return out.toString();
    }

    /** The flags given on one command line. */
    static final class Parsed {
        private final String command;
        private final Map<String, List<String>> values;

        private Parsed(String command, Map<String, List<String>> values) {
            this.command = command;
            this.values = values;
        }

        Optional<String> value(String name) {
            return Optional.ofNullable(values.get(name)).map(v -> v.get(0));
        }

        List<String> values(String name) {
            return values.getOrDefault(name, List.of());
        }

        boolean on(String name) {
            return values.containsKey(name);
        }

        String required(String name) {
            return value(name).orElseThrow(() -> new UsageException(command + ": " + name + " is required; see "
                    + command + " --help"));
        }
    }
}
