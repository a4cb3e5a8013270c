package dev.stepwise.aws.patch;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.AwsRetry;
import dev.stepwise.aws.ec2.Ec2Steps;
import dev.stepwise.aws.ssm.SsmSteps;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Prediction;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.plan.StepContext;
import dev.stepwise.core.poll.Outcome;
import dev.stepwise.core.poll.Poll;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;

/**
 * The patch plans' own EC2 steps: crash-consistent multi-volume snapshots, an explicit reboot, and waiting until SSM
 * reports the agent online again. Stateless.
 */
final class PatchBackups {
    private static final Logger log = LoggerFactory.getLogger(PatchBackups.class);

    private PatchBackups() {
    }

    /**
     * MUTATING: {@code CreateSnapshots} of every attached EBS volume at one point in time (crash-consistent, no
     * reboot; reference §3), tagged in the creating call with the run and the step, so a resumed step finds the
     * snapshots it made instead of making more. Outputs the snapshot ids, comma-separated.
     */
    static Step.Builder<String> createSnapshots(AwsContext aws, String name, Key<String> instanceId, Key<String> out) {
        return Step.mutating(name).output(out).reads(instanceId).retry(AwsRetry.throttling())
                .rerunnable("looks for the snapshots this run and step tagged before creating any")
                .describedAs("snapshot every attached EBS volume at one point in time (CreateSnapshots, no reboot), "
                        + "tagged in the creating call")
                .predict(ctx -> List.of(Prediction.call("ec2", "CreateSnapshots", Map.of(
                        "InstanceSpecification", Map.of("InstanceId", ctx.get(instanceId)),
                        "TagSpecifications", Map.of("ResourceType", "snapshot", "Tags", tags(ctx))))))
                .action(ctx -> {
                    String id = ctx.get(instanceId);
                    List<String> existing = aws.ec2().describeSnapshots(r -> r.ownerIds("self").filters(
                                    Filter.builder().name("tag:" + Ec2Steps.RUN_TAG).values(ctx.runId()).build(),
                                    Filter.builder().name("tag:" + Ec2Steps.STEP_TAG).values(ctx.stepName()).build()))
                            .snapshots().stream().map(Snapshot::snapshotId).sorted().toList();
                    if (!existing.isEmpty()) {
                        log.info("Reusing snapshots {} that this run's step {} already created", existing, ctx.stepName());
                        return String.join(",", existing);
                    }
                    List<Tag> tags = tags(ctx).entrySet().stream()
                            .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
                    List<String> ids = aws.ec2().createSnapshots(r -> r.instanceSpecification(s -> s.instanceId(id))
                                    .description("Backup by Stepwise plan " + ctx.planName() + ", run " + ctx.runId())
                                    .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SNAPSHOT)
                                            .tags(tags).build()))
                            .snapshots().stream().map(s -> s.snapshotId()).sorted().toList();
                    log.info("Created snapshots {} of {}", ids, id);
                    return String.join(",", ids);
                });
    }

    private static Map<String, String> tags(StepContext ctx) {
        Map<String, String> t = new LinkedHashMap<>();
        t.put(Ec2Steps.RUN_TAG, ctx.runId());
        t.put(Ec2Steps.STEP_TAG, ctx.stepName());
        t.put(Ec2Steps.PLAN_TAG, ctx.planName());
        return t;
    }

    /** MUTATING: {@code RebootInstances}, so patches a NoReboot Install left pending reboot take effect. */
    static Step.Builder<String> reboot(AwsContext aws, String name, Key<String> instanceId) {
        return Step.mutating(name).output(Key.of(name, String.class)).reads(instanceId).retry(AwsRetry.throttling())
                .describedAs("reboot the instance so the patches installed with NoReboot take effect")
                .predict(ctx -> List.of(Prediction.call("ec2", "RebootInstances", Map.of("InstanceIds",
                        List.of(ctx.get(instanceId))))))
                .action(ctx -> {
                    String id = ctx.get(instanceId);
                    aws.ec2().rebootInstances(r -> r.instanceIds(id));
                    log.info("Rebooted {}", id);
                    return id;
                });
    }

    /** READ_ONLY: waits until SSM reports the instance's agent {@code Online} again (DescribeInstanceInformation). */
    static Step.Builder<String> waitOnline(AwsContext aws, String name, Key<String> instanceId) {
        return Step.readOnly(name).output(Key.of(name, String.class)).reads(instanceId).retry(AwsRetry.throttling())
                .describedAs("wait until SSM reports the instance's agent Online after the reboot")
                .action(ctx -> {
                    String id = ctx.get(instanceId);
                    return Poll.builder().every(aws.timings().pollInterval()).timeout(aws.timings().instanceStateTimeout())
                            .describedAs("instance " + id + " to be Online in SSM after its reboot").build()
                            .until(ctx, () -> {
                                InstanceInformation i = SsmSteps.using(aws).managed(List.of(id)).get(id);
                                return i != null ? Outcome.done("Online") : Outcome.<String>waiting("not Online");
                            });
                });
    }
}
