package dev.stepwise.examples.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.stream.Collectors;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark and writes {@code BENCHMARKS.md}: the engine under JMH, a whole-run measurement of the
 * 10,000-target rollout (CPU and allocation of the whole JVM), and the fleet against Moto, Stepwise side by side
 * with a hand-written baseline, clean and with 20 % of calls throttled.
 *
 * <p>Defaults keep a run to a few minutes on two cores. Flags ({@code --name=value}):
 * <ul>
 *   <li>{@code --long}: 3 forks, 5 warm-up and 10 measured iterations of 2 s (default 1 fork, 2 and 5 of 1 s)</li>
 *   <li>{@code --forks}, {@code --warmups}, {@code --iterations}, {@code --iteration-ms}: JMH settings</li>
 *   <li>{@code --sizes=100,500,1000}: fleet sizes; {@code --throttled-sizes=100}: those also run throttled (the baseline under throttling is slow: the SDK backs off on every throttled call)</li>
 *   <li>{@code --poll-ms=50}: the poll interval of both tools; {@code --throttle-rate=0.2}; {@code --seed=42}</li>
 *   <li>{@code --skip-jmh}, {@code --skip-fleet}; {@code --out=BENCHMARKS.md}</li>
 * </ul>
 *
 * <pre>{@code
 * bench/run.sh --sizes=100 --throttled-sizes=100
 * }</pre>
 */
public final class BenchmarkMain {
    private final Map<String, String> flags;

    private BenchmarkMain(Map<String, String> flags) {
        this.flags = flags;
    }

    public static void main(String[] args) throws Exception {
        // The proxy is a JDK HttpServer: without TCP_NODELAY every answer waits ~40 ms for a delayed ACK, which
        // would measure the loopback stack rather than either tool. Read once, when the server class loads.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Map<String, String> flags = new LinkedHashMap<>();
        for (String a : args) {
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("argument \"" + a + "\" is not a --name or --name=value flag");
            }
            int eq = a.indexOf('=');
            flags.put(eq < 0 ? a.substring(2) : a.substring(2, eq), eq < 0 ? "true" : a.substring(eq + 1));
        }
        new BenchmarkMain(flags).run();
        // Moto, the proxy and SDK threads may linger; the report is written.
        System.exit(0);
    }

    private String flag(String name, String dflt) {
        return flags.getOrDefault(name, dflt);
    }

    private int intFlag(String name, int dflt, int longDflt) {
        return Integer.parseInt(flag(name, String.valueOf(flags.containsKey("long") ? longDflt : dflt)));
    }

    private static List<Integer> sizes(String csv) {
        return csv.isBlank() ? List.of()
                : Arrays.stream(csv.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    private void run() throws Exception {
        Report report = new Report();
        report.machine = machine();
        report.command = "bench/run.sh" + flags.entrySet().stream()
                .map(e -> " --" + e.getKey() + ("true".equals(e.getValue()) ? "" : "=" + e.getValue()))
                .collect(Collectors.joining());
        if (!flags.containsKey("skip-jmh")) {
            report.jmhSettings = jmh(report);
            report.rollout = rolloutWholeRun(intFlag("rollout-runs", 3, 5));
        }
        if (!flags.containsKey("skip-fleet")) {
            Duration poll = Duration.ofMillis(Long.parseLong(flag("poll-ms", "50")));
            report.pollInterval = poll;
            report.throttleRate = Double.parseDouble(flag("throttle-rate", "0.2"));
            List<Integer> throttled = sizes(flag("throttled-sizes", "100"));
            try (FleetBenchmark fleet = new FleetBenchmark(poll, report.throttleRate,
                    Long.parseLong(flag("seed", "42")))) {
                report.motoSource = fleet.motoSource();
                fleet.warmUp();
                for (int n : sizes(flag("sizes", "100,500,1000"))) {
                    System.out.println("fleet: N = " + n + (throttled.contains(n) ? ", clean and throttled" : ", clean"));
                    for (FleetBenchmark.Result r : fleet.run(n, throttled.contains(n))) {
                        System.out.printf(Locale.ROOT, "  %s%s: %d/%d done, %s, %.1f s%n", r.tool(),
                                r.throttled() ? " (throttled)" : "", r.completed(), r.instances(), r.calls(),
                                r.wall().toMillis() / 1000.0);
                        report.fleet.add(r);
                    }
                }
            }
        }
        Path out = Paths.get(flag("out", "BENCHMARKS.md"));
        Files.writeString(out, report.markdown());
        System.out.println("wrote " + out.toAbsolutePath());
    }

    private String jmh(Report report) throws RunnerException {
        useModuleClassPathForForks();
        int forks = intFlag("forks", 1, 3);
        int warmups = intFlag("warmups", 2, 5);
        int iterations = intFlag("iterations", 5, 10);
        int ms = intFlag("iteration-ms", 1000, 2000);
        ChainedOptionsBuilder engine = new OptionsBuilder()
                .include(EngineBenchmarks.class.getName())
                .forks(forks).warmupIterations(warmups).measurementIterations(iterations)
                .warmupTime(TimeValue.milliseconds(ms)).measurementTime(TimeValue.milliseconds(ms))
                .jvmArgsAppend("-Xmx1g").addProfiler(GCProfiler.class);
        ChainedOptionsBuilder rollout = new OptionsBuilder()
                .include(RolloutBenchmark.class.getName())
                .forks(forks).warmupIterations(warmups + 1).measurementIterations(iterations + 2)
                .jvmArgsAppend("-Xmx1g").addProfiler(GCProfiler.class);
        for (ChainedOptionsBuilder o : List.of(engine, rollout)) {
            for (RunResult r : new Runner(o.build()).run()) {
                report.jmh.add(r);
            }
        }
        return forks + " fork(s), " + warmups + " warm-up and " + iterations + " measured iteration(s) of " + ms
                + " ms (engine); the rollout runs " + (warmups + 1) + " warm-up and " + (iterations + 2)
                + " measured single shots";
    }

    /**
     * JMH starts its forks with this JVM's {@code java.class.path}; under {@code mvn exec:java} that is Maven's
     * launcher, so the module's class path is taken from the class loader exec:java built.
     */
    private static void useModuleClassPathForForks() {
        ClassLoader cl = BenchmarkMain.class.getClassLoader();
        if (cl instanceof URLClassLoader u && !System.getProperty("java.class.path", "").contains("jmh-core")) {
            StringJoiner cp = new StringJoiner(java.io.File.pathSeparator);
            for (URL url : u.getURLs()) {
                try {
                    cp.add(Paths.get(url.toURI()).toString());
                } catch (URISyntaxException e) {
                    throw new IllegalStateException("class path entry " + url + " is not a file", e);
                }
            }
            System.setProperty("java.class.path", cp.toString());
        }
    }

    private static List<ResourceMeter.Sample> rolloutWholeRun(int runs) {
        var rollout = RolloutBenchmark.create();
        List<ResourceMeter.Sample> samples = new ArrayList<>();
        try (ResourceMeter meter = new ResourceMeter()) {
            for (int i = 0; i < 2; i++) {
                RolloutBenchmark.runOnce(rollout);
            }
            for (int i = 0; i < runs; i++) {
                System.gc();
                meter.start();
                RolloutBenchmark.runOnce(rollout);
                samples.add(meter.stop());
            }
        }
        samples.forEach(s -> System.out.printf(Locale.ROOT, "rollout: %.2f s wall, %.2f s CPU, %d MB allocated%n",
                s.wallNanos() / 1e9, s.cpuNanos() / 1e9, s.allocatedBytes() >> 20));
        return samples;
    }

    private static Map<String, String> machine() {
        Map<String, String> m = new LinkedHashMap<>();
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        m.put("CPU", cpuModel().orElse(System.getProperty("os.arch")));
        m.put("Cores available to the JVM", String.valueOf(Runtime.getRuntime().availableProcessors()));
        m.put("Memory", String.format(Locale.ROOT, "%.1f GiB", os.getTotalMemorySize() / (double) (1L << 30)));
        m.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("Date", ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE));
        return m;
    }

    private static Optional<String> cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Everything one run measured, and its rendering. */
    static final class Report {
        Map<String, String> machine = Map.of();
        String command = "";
        String jmhSettings;
        final List<RunResult> jmh = new ArrayList<>();
        List<ResourceMeter.Sample> rollout = List.of();
        Duration pollInterval;
        double throttleRate;
        String motoSource = "";
        final List<FleetBenchmark.Result> fleet = new ArrayList<>();

        String markdown() {
            StringBuilder b = new StringBuilder();
            b.append("# Benchmarks\n\n")
                    .append("Written by `").append(BenchmarkMain.class.getName()).append("` — do not edit by hand;")
                    .append(" run it again (see *Reproduce*). Times are from one shared, noisy machine: compare the")
                    .append(" ratios within a run, not absolute numbers across runs.\n\n");
            b.append("## Machine\n\n");
            MarkdownTable m = MarkdownTable.of("", "");
            machine.forEach(m::row);
            m.row("Command", "`" + command + "`");
            b.append(m).append('\n');
            Targets t = new Targets(this);
            b.append("## Targets (issue #10)\n\n").append(t.table()).append('\n');
            if (!jmh.isEmpty()) {
                b.append(engine());
            }
            if (!fleet.isEmpty()) {
                b.append(fleet());
            }
            b.append(t.notes());
            b.append(REPRODUCE);
            return b.toString();
        }

        Optional<RunResult> jmh(String method) {
            return jmh.stream().filter(r -> r.getParams().getBenchmark().endsWith("." + method)).findFirst();
        }

        Optional<Double> allocPerOp(RunResult r) {
            Result a = r.getSecondaryResults().get("gc.alloc.rate.norm");
            return a == null || Double.isNaN(a.getScore()) ? Optional.empty() : Optional.of(a.getScore());
        }

        private String engine() {
            StringBuilder b = new StringBuilder("## Engine (JMH)\n\n");
            b.append("Plans of ").append(EngineBenchmarks.STEPS).append(" no-op MUTATING steps; the rollout is ")
                    .append(RolloutBenchmark.TARGETS).append(" targets of a one-step no-op plan at concurrency ")
                    .append(RolloutBenchmark.CONCURRENCY).append(" on a `VirtualTimeSource`. Scores are per step or")
                    .append(" per target; allocation is JMH's `-prof gc` `gc.alloc.rate.norm`. ").append(jmhSettings)
                    .append(".\n\n");
            MarkdownTable t = MarkdownTable.of("Benchmark", "Per", "Time (µs)", "± (99.9 %)", "Allocated (bytes)")
                    .rightAligned(2, 3, 4);
            for (RunResult r : jmh) {
                String name = r.getParams().getBenchmark();
                name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
                Result p = r.getPrimaryResult();
                boolean rollout = name.startsWith("RolloutBenchmark");
                t.row(name, rollout ? "target" : "step", fmt(p.getScore()),
                        Double.isNaN(p.getScoreError()) ? "–" : fmt(p.getScoreError()),
                        allocPerOp(r).map(a -> rollout ? "(" + String.format(Locale.ROOT, "%,.0f", a) + ", see below)"
                                : String.format(Locale.ROOT, "%,.0f", a)).orElse("–"));
            }
            b.append(t).append('\n');
            if (!rollout.isEmpty()) {
                b.append("Whole-run measurement of the same rollout in the benchmark JVM (after two warm-up runs):")
                        .append(" process CPU time from `OperatingSystemMXBean` (all threads, JIT and GC included),")
                        .append(" allocation counted by the garbage collector (heap used after − before + freed by")
                        .append(" every collection), which sees the worker threads that JMH's per-thread counters")
                        .append(" lose when the wave's pool shuts down.\n\n");
                MarkdownTable w = MarkdownTable.of("Run", "Wall (s)", "CPU (s)", "CPU per target (µs)",
                        "Allocated (MB)", "Allocated per target (KB)").rightAligned(1, 2, 3, 4, 5);
                int i = 0;
                for (ResourceMeter.Sample s : rollout) {
                    w.row(String.valueOf(++i), fmt(s.wallNanos() / 1e9), fmt(s.cpuNanos() / 1e9),
                            fmt(s.cpuNanos() / 1e3 / RolloutBenchmark.TARGETS), fmt(s.allocatedBytes() / 1048576.0),
                            fmt(s.allocatedBytes() / 1024.0 / RolloutBenchmark.TARGETS));
                }
                b.append(w).append('\n');
            }
            return b.toString();
        }

        Optional<FleetBenchmark.Result> fleet(String tool, int n, boolean throttled) {
            return fleet.stream().filter(r -> r.tool().equals(tool) && r.instances() == n && r.throttled() == throttled)
                    .findFirst();
        }

        private String fleet() {
            StringBuilder b = new StringBuilder("## Fleet: scan and install with AWS-RunPatchBaseline\n\n");
            b.append("Moto (").append(motoSource).append(") behind the testkit's fill-in proxy, which counts every")
                    .append(" request it receives (throttled ones included). Each instance's invocation answers")
                    .append(" `Pending`, `InProgress`, then `Success` (`afterPolls(2)`). Both tools share one SDK")
                    .append(" client with the `AwsContext` defaults (3 SDK attempts, standard retry mode) and poll")
                    .append(" every **").append(pollInterval.toMillis()).append(" ms**. *Stepwise* is a plan of two")
                    .append(" `SsmSteps.runCommand` steps (≤ 50 ids per `SendCommand`, one `ListCommandInvocations`")
                    .append(" per command per round, step retry `AwsRetry.throttling()`). *Hand-written* sends one")
                    .append(" `SendCommand` per instance and polls each instance with `GetCommandInvocation`")
                    .append(" (`InvocationDoesNotExist` = not yet), interleaved in rounds with one sleep per round —")
                    .append(" the generous version of a per-instance waiter, which never sleeps on a finished")
                    .append(" instance. Completed = instances whose install succeeded and was seen by the tool.")
                    .append(" A warm-up fleet of 10 runs through both tools first. The proxy runs with TCP_NODELAY")
                    .append(" (`sun.net.httpserver.nodelay`), so a call costs a few milliseconds on loopback.\n\n");
            b.append(fleetTable(false));
            if (fleet.stream().anyMatch(FleetBenchmark.Result::throttled)) {
                b.append("\n### With ").append(Math.round(throttleRate * 100)).append(" % of calls throttled\n\n")
                        .append("`proxy.faults().throttle(op).rate(").append(throttleRate)
                        .append(", seed)` on ").append(String.join(", ", FleetBenchmark.THROTTLED))
                        .append("; extra calls are relative to the same tool's clean run.\n\n");
                b.append(fleetTable(true));
            }
            b.append('\n');
            return b.toString();
        }

        private String fleetTable(boolean throttled) {
            MarkdownTable t = throttled
                    ? MarkdownTable.of("N", "Tool", "Completed", "Calls by operation", "Throttled", "Total calls",
                            "Extra calls", "Calls / instance", "Wall (s)", "Baseline ÷ Stepwise calls",
                            "Baseline ÷ Stepwise wall").rightAligned(0, 2, 4, 5, 6, 7, 8, 9, 10)
                    : MarkdownTable.of("N", "Tool", "Completed", "Calls by operation", "Total calls",
                            "Calls / instance", "Wall (s)", "Baseline ÷ Stepwise calls", "Baseline ÷ Stepwise wall")
                            .rightAligned(0, 2, 4, 5, 6, 7, 8);
            for (FleetBenchmark.Result r : fleet) {
                if (r.throttled() != throttled) {
                    continue;
                }
                Optional<FleetBenchmark.Result> sw = fleet("Stepwise", r.instances(), throttled);
                boolean isBaseline = !r.tool().equals("Stepwise");
                String callRatio = isBaseline && sw.isPresent()
                        ? fmt((double) r.totalCalls() / sw.get().totalCalls()) + "×" : "";
                String wallRatio = isBaseline && sw.isPresent()
                        ? fmt((double) r.wall().toNanos() / sw.get().wall().toNanos()) + "×" : "";
                String ops = r.calls().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", "));
                String done = r.completed() + "/" + r.instances();
                String wall = fmt(r.wall().toMillis() / 1000.0);
                if (throttled) {
                    long extra = r.totalCalls() - fleet(r.tool(), r.instances(), false)
                            .map(FleetBenchmark.Result::totalCalls).orElse(r.totalCalls());
                    t.row(String.valueOf(r.instances()), r.tool(), done, ops, String.valueOf(r.injectedFaults()),
                            String.valueOf(r.totalCalls()), "+" + extra, fmt(r.callsPerInstance()), wall, callRatio,
                            wallRatio);
                } else {
                    t.row(String.valueOf(r.instances()), r.tool(), done, ops, String.valueOf(r.totalCalls()),
                            fmt(r.callsPerInstance()), wall, callRatio, wallRatio);
                }
            }
            return t.toString();
        }
    }

    static String fmt(double d) {
        if (Double.isNaN(d)) {
            return "–";
        }
        return String.format(Locale.ROOT, d >= 100 ? "%,.0f" : d >= 10 ? "%.1f" : "%.2f", d);
    }

    private static final String REPRODUCE = """
            ## Reproduce

            From a fresh clone, with JDK 17+, Maven 3.8+ and Moto reachable (`MOTO_ENDPOINT`, Docker, `moto_server` on
            `PATH`, or `python3`; see `MotoServer`):

            ```
            bench/run.sh                      # this file, in a few minutes on 2 cores
            bench/run.sh --long               # 3 forks, longer JMH iterations, 5 whole-run rollouts
            bench/run.sh --sizes=100 --throttled-sizes=100 --skip-jmh   # a quick fleet check
            ```

            `bench/run.sh` builds the modules (`mvn -B -q -DskipTests -pl examples -am package`) and starts
            `dev.stepwise.examples.bench.BenchmarkMain` with the module's class path. The same main also runs under
            `mvn -B -q -DskipTests -pl examples -am package exec:java -Dexec.mainClass=dev.stepwise.examples.bench.BenchmarkMain`
            (pass flags with `-Dexec.args="--skip-jmh"`). Flags: `--forks`, `--warmups`, `--iterations`, `--iteration-ms`,
            `--rollout-runs`, `--sizes`, `--throttled-sizes`, `--poll-ms`, `--throttle-rate`, `--seed`, `--skip-jmh`,
            `--skip-fleet`, `--out`. The JMH benchmarks alone: `java -cp <class path> org.openjdk.jmh.Main -prof gc
            'dev.stepwise.examples.bench.*'`.
            """;
}
