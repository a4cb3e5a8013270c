package dev.stepwise.aws.patch;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.core.rollout.GateVerdict;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.TargetResult;
import dev.stepwise.core.rollout.TargetStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;

/**
 * Health, not only time, between the soak and production: the rescan of non-production after the soak, and
 * CloudWatch alarms. Pure functions over a rollout's result plus one read-only CloudWatch call; every verdict carries
 * its data for the rollout journal. Stateless.
 */
final class PatchHealth {
    /** The most names one DescribeAlarms call takes (reference aws-patching-and-drivers.md §3). */
    static final int MAX_ALARM_NAMES = 100;

    private PatchHealth() {
    }

    /**
     * Every patch non-production installed through the rollout must still be installed in the rescan after the soak,
     * none of them {@code FAILED} or {@code INSTALLED_REJECTED}; patches approved since (missing now, not installed by
     * the rollout) are not held against it.
     */
    static GateVerdict rescan(RolloutResult soFar, String nonProduction, String rescanWave) {
        Map<String, List<PatchInfo>> verifiedOn = new LinkedHashMap<>();
        for (TargetResult t : targets(soFar, nonProduction)) {
            if (t.status() == TargetStatus.SUCCEEDED && t.run() != null) {
                var before = t.run().output(PatchKeys.BEFORE);
                var after = t.run().output(PatchKeys.AFTER);
                if (before.isPresent() && after.isPresent()) {
                    verifiedOn.put(t.target(), PatchComparison.installedThroughRollout(before.get(), after.get()));
                }
            }
        }
        Map<String, Object> problems = new LinkedHashMap<>();
        int checked = 0;
        for (TargetResult t : targets(soFar, rescanWave)) {
            List<PatchInfo> verified = verifiedOn.get(t.target());
            if (verified == null) {
                continue;
            }
            if (t.status() != TargetStatus.SUCCEEDED || t.run() == null || t.run().output(PatchKeys.SOAKED).isEmpty()) {
                problems.put(t.target(), List.of("the rescan after the soak did not succeed: " + t.reason()));
                continue;
            }
            checked++;
            PatchCompliance soaked = t.run().output(PatchKeys.SOAKED).get();
            List<String> mine = new ArrayList<>();
            for (PatchInfo v : verified) {
                PatchInfo now = soaked.patches().stream().filter(p -> p.id().equals(v.id())).findFirst().orElse(null);
                if (now == null) {
                    mine.add(v.id() + " is no longer listed");
                } else if (!now.isInstalled()) {
                    mine.add(v.id() + " is " + now.state());
                }
            }
            if (!mine.isEmpty()) {
                problems.put(t.target(), mine);
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("checked", checked);
        data.put("problems", problems);
        return problems.isEmpty()
                ? GateVerdict.pass(checked + " non-production instance(s) still have every verified patch installed", data)
                : GateVerdict.fail("after the soak, " + problems.size() + " non-production instance(s) lost verified "
                        + "patches: " + problems, data);
    }

    private static List<TargetResult> targets(RolloutResult r, String wave) {
        return r.waves().stream().filter(w -> w.name().equals(wave)).flatMap(w -> w.targets().stream()).toList();
    }

    /**
     * The alarms' states now: {@code ALARM} fails; {@code INSUFFICIENT_DATA} fails unless {@code allowInsufficient};
     * a named alarm that does not exist fails.
     */
    static GateVerdict alarms(AwsContext aws, List<String> names, String prefix, boolean allowInsufficient) {
        List<MetricAlarm> found = describe(aws, names, prefix);
        Map<String, Object> states = new LinkedHashMap<>();
        List<String> bad = new ArrayList<>();
        for (MetricAlarm a : found) {
            states.put(a.alarmName(), a.stateValueAsString());
            if ("ALARM".equals(a.stateValueAsString())
                    || "INSUFFICIENT_DATA".equals(a.stateValueAsString()) && !allowInsufficient) {
                bad.add(a.alarmName() + " is " + a.stateValueAsString());
            }
        }
        for (String n : names) {
            if (!states.containsKey(n)) {
                bad.add("alarm " + n + " does not exist");
            }
        }
        if (prefix != null && found.isEmpty()) {
            bad.add("no alarm's name starts with \"" + prefix + "\"");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("alarms", states);
        return bad.isEmpty() ? GateVerdict.pass(states.size() + " alarm(s) OK", data)
                : GateVerdict.fail(String.join("; ", bad), data);
    }

    /** The named alarms that do not exist (a typed refusal before anything changes). */
    static List<String> missing(AwsContext aws, List<String> names) {
        Set<String> found = new TreeSet<>();
        describe(aws, names, null).forEach(a -> found.add(a.alarmName()));
        return names.stream().filter(n -> !found.contains(n)).toList();
    }

    /** Whether any metric alarm's name starts with {@code prefix} (a typed refusal before anything changes if not). */
    static boolean anyWithPrefix(AwsContext aws, String prefix) {
        return !describe(aws, List.of(), prefix).isEmpty();
    }

    private static List<MetricAlarm> describe(AwsContext aws, List<String> names, String prefix) {
        List<MetricAlarm> out = new ArrayList<>();
        try (CloudWatchClient cw = aws.configure(CloudWatchClient.builder()).credentialsProvider(aws.credentials()).build()) {
            if (prefix != null) {
                String token = null;
                do {
                    String t = token;
                    DescribeAlarmsResponse r = cw.describeAlarms(b -> b.alarmNamePrefix(prefix).nextToken(t).maxRecords(100));
                    out.addAll(r.metricAlarms());
                    token = r.nextToken();
                } while (token != null && !token.isEmpty());
            }
            for (int i = 0; i < names.size(); i += MAX_ALARM_NAMES) {
                List<String> batch = names.subList(i, Math.min(names.size(), i + MAX_ALARM_NAMES));
                String token = null;
                do {
                    String t = token;
                    DescribeAlarmsResponse r = cw.describeAlarms(b -> b.alarmNames(batch).nextToken(t).maxRecords(100));
                    // Moto applies a single filter (reference §3): keep only what was asked for
                    r.metricAlarms().stream().filter(a -> batch.contains(a.alarmName())).forEach(out::add);
                    token = r.nextToken();
                } while (token != null && !token.isEmpty());
            }
        }
        return out;
    }
}
