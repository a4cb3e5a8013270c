package dev.stepwise.examples.bench;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.ssm.CommandResult;
import dev.stepwise.aws.ssm.SsmSteps;
import dev.stepwise.aws.testkit.CommandOutcome;
import dev.stepwise.aws.testkit.FaultRule;
import dev.stepwise.aws.testkit.FillInProxy;
import dev.stepwise.aws.testkit.MotoServer;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.Runner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceType;

/**
 * Patches a fleet of N instances in Moto, through the fill-in proxy, twice per mode: with Stepwise
 * ({@link SsmSteps#runCommand}: 50 instances per {@code SendCommand}, one {@code ListCommandInvocations} per
 * command per round) and with {@link HandWrittenBaseline}. Each instance's {@code AWS-RunPatchBaseline}
 * invocation succeeds after two polls ({@code Pending}, {@code InProgress}, then {@code Success}). Both tools
 * share one SDK client (the context's default SDK retries) and one poll interval.
 */
final class FleetBenchmark implements AutoCloseable {
    static final String DOCUMENT = "AWS-RunPatchBaseline";
    /** The operations throttled in the throttled mode: everything either tool calls to send and poll. */
    static final List<String> THROTTLED = List.of("SendCommand", "ListCommandInvocations", "GetCommandInvocation",
            "ListCommands");

    private static final Key<CommandResult> SCAN = Key.of("scan", CommandResult.class);
    private static final Key<CommandResult> INSTALL = Key.of("install", CommandResult.class);

    /** One tool's run on one fleet. */
    record Result(String tool, int instances, boolean throttled, int completed, Map<String, Long> calls,
            long injectedFaults, Duration wall) {
        long totalCalls() {
            return calls.values().stream().mapToLong(Long::longValue).sum();
        }

        double callsPerInstance() {
            return (double) totalCalls() / instances;
        }
    }

    private final MotoServer moto;
    private final FillInProxy proxy;
    private final AwsContext aws;
    private final Duration pollInterval;
    private final double throttleRate;
    private final long seed;

    FleetBenchmark(Duration pollInterval, double throttleRate, long seed) {
        this.moto = MotoServer.shared();
        this.proxy = FillInProxy.start(moto);
        this.pollInterval = pollInterval;
        this.throttleRate = throttleRate;
        this.seed = seed;
        this.aws = AwsContext.builder().region("us-east-1").endpointOverride(proxy.endpoint())
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .timings(t -> t.pollInterval(pollInterval).commandTimeout(Duration.ofMinutes(10)))
                .build();
    }

    String motoSource() {
        return moto.source().toString();
    }

    /** Runs both tools once on a small fleet, so class loading and JIT do not count against the first measured run. */
    void warmUp() throws InterruptedException {
        List<String> ids = launch(10);
        stepwise(ids, false);
        baseline(ids, false);
    }

    /** Launches a fleet of {@code n} and runs both tools on it, clean and, if asked, throttled. */
    List<Result> run(int n, boolean alsoThrottled) throws InterruptedException {
        List<String> ids = launch(n);
        List<Result> out = new ArrayList<>();
        out.add(stepwise(ids, false));
        out.add(baseline(ids, false));
        if (alsoThrottled) {
            out.add(stepwise(ids, true));
            out.add(baseline(ids, true));
        }
        return out;
    }

    private List<String> launch(int n) {
        moto.reset();
        proxy.reset();
        List<String> ids = new ArrayList<>(n);
        while (ids.size() < n) {
            int batch = Math.min(100, n - ids.size());
            for (Instance i : aws.ec2().runInstances(r -> r.imageId("ami-0123456789abcdef0")
                    .instanceType(InstanceType.T3_MICRO).minCount(batch).maxCount(batch)).instances()) {
                ids.add(i.instanceId());
            }
        }
        for (String id : ids) {
            proxy.scenario().managedInstance(id, "Linux")
                    .commandOutcome(id, DOCUMENT, CommandOutcome.success().afterPolls(2));
        }
        return ids;
    }

    private Result stepwise(List<String> ids, boolean throttled) {
        SsmSteps ssm = SsmSteps.using(aws);
        Plan plan = Plan.builder("patch-fleet")
                .step(ssm.runCommand("scan", DOCUMENT, ctx -> ids, ctx -> Map.of("Operation", List.of("Scan")), SCAN))
                .step(ssm.runCommand("install", DOCUMENT, ctx -> ids, ctx -> Map.of("Operation", List.of("Install")),
                        INSTALL))
                .build();
        return measure("Stepwise", ids.size(), throttled, () -> {
            RunResult r = Runner.create().run(plan, Inputs.empty());
            return r.output(INSTALL).map(c -> (int) c.invocations().values().stream()
                    .filter(CommandResult.Invocation::succeeded).count()).orElse(0);
        });
    }

    private Result baseline(List<String> ids, boolean throttled) {
        HandWrittenBaseline script = new HandWrittenBaseline(aws.ssm(), pollInterval, Duration.ofMinutes(10));
        return measure("hand-written", ids.size(), throttled, () -> script.scanAndInstall(ids).size());
    }

    private interface Work {
        int completed() throws InterruptedException;
    }

    private Result measure(String tool, int n, boolean throttled, Work work) {
        List<FaultRule> rules = new ArrayList<>();
        if (throttled) {
            // One seed per operation (the same for both tools): one shared seed would throttle every operation's
            // n-th call alike.
            for (int i = 0; i < THROTTLED.size(); i++) {
                rules.add(proxy.faults().throttle(THROTTLED.get(i)).rate(throttleRate, seed + i));
            }
        }
        Map<String, Long> before = proxy.counts().asMap();
        long start = System.nanoTime();
        int completed;
        try {
            completed = work.completed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while benchmarking " + tool, e);
        } finally {
            rules.forEach(FaultRule::remove);
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        Map<String, Long> calls = new TreeMap<>();
        proxy.counts().asMap().forEach((op, c) -> {
            long d = c - before.getOrDefault(op, 0L);
            if (d > 0) {
                calls.put(op, d);
            }
        });
        long injected = rules.stream().mapToLong(FaultRule::injected).sum();
        return new Result(tool, n, throttled, completed, calls, injected, wall);
    }

    @Override
    public void close() {
        aws.close();
        proxy.close();
    }
}
