package dev.stepwise.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.aviatrix.ControllerUpgrade;
import dev.stepwise.aviatrix.testkit.FakeController;
import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.drivers.WindowsDriverUpgrade;
import dev.stepwise.aws.patch.PatchRollout;
import dev.stepwise.aws.patch.PatchTargets;
import dev.stepwise.aws.testkit.AutomationOutcome;
import dev.stepwise.aws.testkit.CommandOutcome;
import dev.stepwise.aws.testkit.FillInProxy;
import dev.stepwise.aws.testkit.MotoExtension;
import dev.stepwise.aws.testkit.Patch;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * After each run of each built-in plan — with its AWS context, Aviatrix client and journal closed or dropped as a
 * user would — no non-daemon thread, child process, open file or socket is left that was not there before. The
 * baseline is taken after Moto and the fill-in proxy are up and after one warm-up run of every plan, so pools
 * the testkit fills once (the proxy's connections to Moto, the JDK's lazily started threads) are in it; the
 * counts must then come back exactly. The Aviatrix client's JDK HttpClient cannot be closed on Java 17 and
 * releases its connections when collected, so each check triggers a GC and waits (at most 15 s) for the counts
 * to settle.
 */
@EnabledOnOs(OS.LINUX)
class LeakIT {
    @RegisterExtension
    static final MotoExtension MOTO = MotoExtension.create();

    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final AtomicInteger LEAKS = new AtomicInteger();

    @TempDir
    Path journals;
    private FillInProxy proxy;

    record Snapshot(Set<String> nonDaemonThreads, Set<Long> children, int fds, int sockets) {
        static Snapshot take() {
            Set<String> threads = Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !t.isDaemon())
                    .map(Thread::getName).collect(Collectors.toCollection(TreeSet::new));
            Set<Long> children = ProcessHandle.current().children().map(ProcessHandle::pid)
                    .collect(Collectors.toCollection(TreeSet::new));
            int fds = 0;
            int sockets = 0;
            try (Stream<Path> list = Files.list(Path.of("/proc/self/fd"))) {
                for (Path fd : list.toList()) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        fds++;
                        if (target.startsWith("socket:")) {
                            sockets++;
                        }
                    } catch (IOException gone) {
                        // the descriptor used to list the directory, closed by now
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new Snapshot(threads, children, fds, sockets);
        }

        /** What is in this snapshot and not in {@code baseline}. */
        List<String> leaksSince(Snapshot baseline) {
            List<String> leaks = new ArrayList<>();
            nonDaemonThreads.stream().filter(t -> !baseline.nonDaemonThreads.contains(t))
                    .forEach(t -> leaks.add("non-daemon thread " + t));
            children.stream().filter(c -> !baseline.children.contains(c)).forEach(c -> leaks.add("child process " + c));
            if (fds > baseline.fds) {
                leaks.add((fds - baseline.fds) + " file descriptor(s)");
            }
            if (sockets > baseline.sockets) {
                leaks.add((sockets - baseline.sockets) + " socket(s)");
            }
            return leaks;
        }
    }

    @BeforeEach
    void setUp() {
        proxy = MOTO.proxy();
    }

    @AfterAll
    static void summary() {
        Reliability.record("leaks", Map.of("runsChecked", RUNS.get(), "found", LEAKS.get()));
    }

    private void driversOnline() {
        try (AwsContext aws = Reliability.aws(proxy)) {
            String id = Reliability.launch(aws, Reliability.WINDOWS_AMI, "leak");
            proxy.scenario().managedInstance(id, "Windows");
            proxy.scenario().commandOutcome(id, "AWS-ConfigureAWSPackage", CommandOutcome.success("ok").afterPolls(1))
                    .commandOutcome(id, "AWS-RunPowerShellScript", CommandOutcome.success("3"));
            runner().run(WindowsDriverUpgrade.plan(aws), WindowsDriverUpgrade.inputs(id)).orThrow();
        }
    }

    private void driversOffline() {
        try (AwsContext aws = Reliability.aws(proxy)) {
            String id = Reliability.launch(aws, Reliability.WINDOWS_AMI, "leak");
            proxy.scenario().onlineAfterStart(id).automationOutcome(WindowsDriverUpgrade.RESCUE_DOCUMENT,
                    AutomationOutcome.success().withOutput("runScriptForWindows.Output", "ok"));
            runner().run(WindowsDriverUpgrade.plan(aws),
                    WindowsDriverUpgrade.inputs(id).with(WindowsDriverUpgrade.ALLOW_OFFLINE, true)).orThrow();
        }
    }

    private void patchRollout() {
        try (AwsContext aws = Reliability.aws(proxy)) {
            String env = "leak-" + RUNS.get();
            for (String stage : List.of("dev", "prod")) {
                String id = Reliability.launch(aws, Reliability.WINDOWS_AMI, env + stage);
                proxy.scenario().managedInstance(id, "Windows");
                proxy.scenario().patches(id, Patch.missing("KB5031356"));
            }
            PatchRollout.builder("leak-check", aws).nonProduction(PatchTargets.tagged(aws, "Env", env + "dev"))
                    .production(PatchTargets.tagged(aws, "Env", env + "prod")).unpinnedProduction().soak(Duration.ZERO).build()
                    .run(runner()).orThrow();
        }
    }

    private void aviatrix() {
        try (FakeController fake = FakeController.builder().version("6.5.2608").start()) {
            ControllerUpgrade upgrade = ControllerUpgrade.builder().client(Reliability.aviatrix(fake).build())
                    .train(FakeController.DEFAULT_TRAIN).backup(Reliability.BACKUP).build();
            runner().run(upgrade.plan(), Inputs.of(ControllerUpgrade.TARGET_VERSION, "6.8")).orThrow();
        }
    }

    private Runner runner() {
        return Runner.create().withTimeSource(VirtualTimeSource.create()).withJournal(JournalStore.directory(journals));
    }

    private static List<String> settle(Snapshot baseline) throws InterruptedException {
        List<String> leaks = List.of();
        for (int i = 0; i < 150; i++) {
            System.gc();
            leaks = Snapshot.take().leaksSince(baseline);
            if (leaks.isEmpty()) {
                return leaks;
            }
            Thread.sleep(100);
        }
        return leaks;
    }

    @Test
    void everyBuiltInPlan_leavesNoThreadProcessFileOrSocketBehind() throws Exception {
        Map<String, Runnable> plans = new java.util.LinkedHashMap<>();
        plans.put("drivers online", this::driversOnline);
        plans.put("drivers offline", this::driversOffline);
        plans.put("patch rollout", this::patchRollout);
        plans.put("aviatrix upgrade", this::aviatrix);
        plans.values().forEach(Runnable::run);
        // let the warm-up's own sockets close before the baseline
        settle(Snapshot.take());
        Thread.sleep(500);
        System.gc();
        Snapshot baseline = Snapshot.take();

        List<String> all = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (Map.Entry<String, Runnable> plan : plans.entrySet()) {
                plan.getValue().run();
                RUNS.incrementAndGet();
                List<String> leaks = settle(baseline);
                leaks.forEach(l -> all.add(plan.getKey() + ": " + l));
                LEAKS.addAndGet(leaks.size());
            }
        }
        assertThat(all).as("left behind, against a baseline of %s", baseline).isEmpty();
    }
}
