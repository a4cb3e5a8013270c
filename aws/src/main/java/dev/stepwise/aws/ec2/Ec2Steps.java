package dev.stepwise.aws.ec2;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.AwsResourceNotFoundException;
import dev.stepwise.aws.AwsRetry;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Prediction;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.plan.StepContext;
import dev.stepwise.core.poll.Outcome;
import dev.stepwise.core.poll.Poll;
import dev.stepwise.core.poll.PollTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;
import software.amazon.awssdk.services.ec2.model.InstanceBlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.ProductCode;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * Reusable EC2 steps, each a {@link Step.Builder} you can adjust (retry, timeout, name) before adding it to
 * a plan. Every MUTATING step predicts, for dry runs, the exact EC2 calls it would make. Waits are
 * {@link Poll}s on the runner's clock with the context's {@link dev.stepwise.aws.AwsTimings}, so they stop at
 * cancellation and run on virtual time in tests; a wait that runs out of time fails the step with a
 * {@link PollTimeoutException} (a {@link dev.stepwise.core.StepTimeoutException}). Thread-safe.
 *
 * <pre>{@code
 * Ec2Steps ec2 = Ec2Steps.using(aws);
 * Plan plan = Plan.builder("backup").
 *     input(INSTANCE_ID).
 *     step(ec2.createImage("backup", INSTANCE_ID, IMAGE_ID, false)).
 *     build();
 * }</pre>
 */
public final class Ec2Steps {
    private static final Logger log = LoggerFactory.getLogger(Ec2Steps.class);

    /** Tag naming the run that created a resource; a retried or resumed step looks for it before creating another. */
    public static final String RUN_TAG = "stepwise:run-id";
    /** Tag naming the step that created a resource. */
    public static final String STEP_TAG = "stepwise:step";
    /** Tag naming the plan that created a resource. */
    public static final String PLAN_TAG = "stepwise:plan";

    private final AwsContext aws;

    private Ec2Steps(AwsContext aws) {
        this.aws = Objects.requireNonNull(aws, "aws");
    }

    /** Steps acting in {@code aws}. */
    public static Ec2Steps using(AwsContext aws) {
        return new Ec2Steps(aws);
    }

    /** READ_ONLY: the instance's facts; an unknown instance fails with {@link AwsResourceNotFoundException}. */
    public Step.Builder<InstanceFacts> describe(String name, Key<String> instanceId, Key<InstanceFacts> out) {
        return Step.readOnly(name).output(out).reads(instanceId).retry(AwsRetry.throttling())
                .describedAs("read the instance's state, platform, subnet and ENA support")
                .action(ctx -> describe(ctx.get(instanceId)));
    }

    /** The facts of one instance. */
    public InstanceFacts describe(String instanceId) {
        Instance i = instance(instanceId);
        return new InstanceFacts(i.instanceId(), i.state() == null ? "" : i.state().nameAsString(), i.platformAsString(),
                i.subnetId(), i.placement() == null ? "" : i.placement().availabilityZone(),
                Boolean.TRUE.equals(i.enaSupport()), i.rootDeviceTypeAsString());
    }

    private Instance instance(String instanceId) {
        try {
            return aws.ec2().describeInstances(r -> r.instanceIds(instanceId)).reservations().stream()
                    .flatMap(r -> r.instances().stream()).findFirst()
                    .orElseThrow(() -> notFound(instanceId, null));
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            if (code.startsWith("InvalidInstanceID")) {
                throw notFound(instanceId, e);
            }
            throw e;
        }
    }

    private AwsResourceNotFoundException notFound(String instanceId, Throwable cause) {
        return new AwsResourceNotFoundException("Instance " + instanceId + " does not exist in " + aws.region()
                + " (or these credentials cannot see it): check the InstanceId and the region", cause);
    }

    /**
     * MUTATING: an AMI of the instance, tagged with the run, the step and the plan in the same {@code CreateImage}
     * call ({@code TagSpecifications} for the image and its snapshots; tag-on-create is all-or-nothing), waited on
     * until {@code available}. Before creating, it looks for an image this run and step tagged, so a retried or
     * resumed step never makes a second backup, whenever the earlier attempt died.
     *
     * @param noReboot {@code true} to image the instance without rebooting it (faster, but the file system may
     *                 be inconsistent); {@code false} lets EC2 reboot it for a consistent image
     */
    public Step.Builder<String> createImage(String name, Key<String> instanceId, Key<String> imageOut, boolean noReboot) {
        return Step.mutating(name).output(imageOut).reads(instanceId).retry(AwsRetry.throttling())
                .rerunnable("looks for the image this run and step tagged before creating one")
                .describedAs("create an AMI backup of the instance" + (noReboot ? " without rebooting it" : "")
                        + ", tagged in the same call, and wait until it is available")
                .predict(ctx -> List.of(
                        Prediction.call("ec2", "CreateImage", createImageParams(ctx, ctx.get(instanceId), noReboot))))
                .action(ctx -> backup(ctx, ctx.get(instanceId), noReboot));
    }

    private Map<String, Object> createImageParams(StepContext ctx, String instanceId, boolean noReboot) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("InstanceId", instanceId);
        p.put("Name", imageName(ctx, instanceId));
        p.put("NoReboot", noReboot);
        // tag-on-create is all-or-nothing (reference section 3, CreateImage): no untagged image can outlive a crash
        p.put("TagSpecifications", List.of(Map.of("ResourceType", "image", "Tags", tags(ctx)),
                Map.of("ResourceType", "snapshot", "Tags", tags(ctx))));
        return p;
    }

    private static Map<String, String> tags(StepContext ctx) {
        Map<String, String> t = new LinkedHashMap<>();
        t.put(RUN_TAG, ctx.runId());
        t.put(STEP_TAG, ctx.stepName());
        t.put(PLAN_TAG, ctx.planName());
        return t;
    }

    /** AMI names allow letters, digits and ()[] ./-'@_, up to 128 characters. */
    static String imageName(StepContext ctx, String instanceId) {
        String raw = "stepwise-" + ctx.planName() + "-" + ctx.stepName() + "-" + instanceId + "-" + ctx.runId();
        String clean = raw.replaceAll("[^A-Za-z0-9()\\[\\] ./'@_-]", "_");
        return clean.length() <= 128 ? clean : clean.substring(0, 128);
    }

    private String backup(StepContext ctx, String instanceId, boolean noReboot) {
        Ec2Client ec2 = aws.ec2();
        Optional<String> existing = findTaggedImage(ctx.runId(), ctx.stepName());
        String imageId;
        if (existing.isPresent()) {
            imageId = existing.get();
            log.info("Reusing image {} that this run's step {} already created", imageId, ctx.stepName());
        } else {
            Map<String, Object> p = createImageParams(ctx, instanceId, noReboot);
            List<Tag> tags = tags(ctx).entrySet().stream()
                    .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
            // one call: the image and its snapshots carry the run's tags from the start, so a resume after a crash
            // at any point finds the image instead of making a second one
            imageId = ec2.createImage(r -> r.instanceId(instanceId).name((String) p.get("Name")).noReboot(noReboot)
                    .description("Backup by Stepwise plan " + ctx.planName() + ", run " + ctx.runId())
                    .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.IMAGE).tags(tags).build(),
                            TagSpecification.builder().resourceType(ResourceType.SNAPSHOT).tags(tags).build()))
                    .imageId();
            log.info("Created image {} of {}", imageId, instanceId);
        }
        waitForImage(ctx, imageId);
        return imageId;
    }

    /** The image a run's step created, found by its tags. */
    public Optional<String> findTaggedImage(String runId, String stepName) {
        return aws.ec2().describeImages(r -> r.owners("self").filters(
                        Filter.builder().name("tag:" + RUN_TAG).values(runId).build(),
                        Filter.builder().name("tag:" + STEP_TAG).values(stepName).build()))
                .images().stream().filter(i -> !"deregistered".equals(i.stateAsString()))
                .map(Image::imageId).findFirst();
    }

    private void waitForImage(StepContext ctx, String imageId) {
        pollFor(aws.timings().imageTimeout(), "image " + imageId + " to be available").until(ctx, () -> {
            String state = aws.ec2().describeImages(r -> r.imageIds(imageId)).images().stream()
                    .map(Image::stateAsString).findFirst().orElse("missing");
            if ("available".equals(state)) {
                return Outcome.done(state);
            }
            if ("failed".equals(state) || "invalid".equals(state) || "deregistered".equals(state) || "missing".equals(state)) {
                return Outcome.failed("Image " + imageId + " is " + state + "; it cannot serve as a backup");
            }
            return Outcome.waiting(state);
        });
    }

    private Poll pollFor(Duration timeout, String description) {
        return Poll.builder().every(aws.timings().pollInterval()).timeout(timeout).describedAs(description).build();
    }

    /**
     * MUTATING: stops the instance gracefully and waits up to the stop timeout for {@code stopped}; returns the
     * state it reached, which may still be {@code stopping}, so a plan can follow it with {@link #forceStop}.
     */
    public Step.Builder<String> stop(String name, Key<String> instanceId, Key<String> stateOut) {
        return Step.mutating(name).output(stateOut).reads(instanceId).retry(AwsRetry.throttling())
                .rerunnable("stopping a stopped instance changes nothing")
                .describedAs("stop the instance and wait up to the stop timeout until it is stopped")
                .predict(ctx -> List.of(Prediction.call("ec2", "StopInstances",
                        Map.of("InstanceIds", List.of(ctx.get(instanceId)), "Force", false))))
                .action(ctx -> {
                    String id = ctx.get(instanceId);
                    aws.ec2().stopInstances(r -> r.instanceIds(id).force(false));
                    return waitForState(ctx, id, "stopped", aws.timings().stopTimeout(), true);
                });
    }

    /**
     * MUTATING: force-stops the instance unless it is already stopped, and waits for {@code stopped}. A dry run
     * predicts the force stop as conditional, since only the live run knows whether the graceful stop finished.
     */
    public Step.Builder<String> forceStop(String name, Key<String> instanceId, Key<String> stateOut) {
        return Step.mutating(name).output(stateOut).reads(instanceId).retry(AwsRetry.throttling())
                .rerunnable("checks the instance's state first")
                .describedAs("force-stop the instance if it is not stopped yet, and wait until it is")
                .predict(ctx -> List.of(Prediction.call("ec2", "StopInstances",
                        Map.of("InstanceIds", List.of(ctx.get(instanceId)), "Force", true))
                        .withCondition("the instance is not stopped when this step starts")))
                .action(ctx -> {
                    String id = ctx.get(instanceId);
                    if (describe(id).isStopped()) {
                        return "stopped";
                    }
                    aws.ec2().stopInstances(r -> r.instanceIds(id).force(true));
                    return waitForState(ctx, id, "stopped", aws.timings().instanceStateTimeout(), false);
                });
    }

    /** MUTATING: starts the instance and waits for {@code running}. */
    public Step.Builder<String> start(String name, Key<String> instanceId, Key<String> stateOut) {
        return Step.mutating(name).output(stateOut).reads(instanceId).retry(AwsRetry.throttling())
                .rerunnable("starting a running instance changes nothing")
                .describedAs("start the instance and wait until it is running")
                .predict(ctx -> List.of(Prediction.call("ec2", "StartInstances", Map.of("InstanceIds", List.of(ctx.get(instanceId))))))
                .action(ctx -> {
                    String id = ctx.get(instanceId);
                    aws.ec2().startInstances(r -> r.instanceIds(id));
                    return waitForState(ctx, id, "running", aws.timings().instanceStateTimeout(), false);
                });
    }

    private String waitForState(StepContext ctx, String instanceId, String wanted, Duration timeout,
            boolean returnOnTimeout) {
        Poll poll = pollFor(timeout, "instance " + instanceId + " to be " + wanted);
        try {
            return poll.until(ctx, () -> describe(instanceId).state(), wanted::equals);
        } catch (PollTimeoutException e) {
            if (!returnOnTimeout) {
                throw e;
            }
            log.warn("Instance {} is still {} after {}", instanceId, e.lastState(), timeout);
            return e.lastState();
        }
    }

    /**
     * MUTATING: enables ENA support on a stopped instance ({@code ModifyInstanceAttribute EnaSupport=true}); the
     * output is what {@code DescribeInstanceAttribute} reports afterwards.
     */
    public Step.Builder<Boolean> enableEnaSupport(String name, Key<String> instanceId, Key<Boolean> out) {
        return Step.mutating(name).output(out).reads(instanceId).retry(AwsRetry.throttling())
                .rerunnable("enabling ENA support twice changes nothing")
                .describedAs("enable ENA support on the instance")
                .predict(ctx -> List.of(Prediction.call("ec2", "ModifyInstanceAttribute",
                        Map.of("InstanceId", ctx.get(instanceId), "EnaSupport", true))))
                .action(ctx -> {
                    String id = ctx.get(instanceId);
                    aws.ec2().modifyInstanceAttribute(r -> r.instanceId(id).enaSupport(v -> v.value(true)));
                    // what EC2 now says, not what was asked: the output must be able to say "not enabled"
                    return Boolean.TRUE.equals(aws.ec2().describeInstanceAttribute(r -> r.instanceId(id)
                            .attribute(InstanceAttributeName.ENA_SUPPORT)).enaSupport().value());
                });
    }

    /**
     * READ_ONLY: what stopping the instance would meet and lose ({@link OfflineFacts}): root volume encryption,
     * Marketplace product codes, instance store, public IP, and the Availability Zone of the subnet {@code subnetId}
     * names when it is a subnet id.
     */
    public Step.Builder<OfflineFacts> offlineFacts(String name, Key<String> instanceId, Key<String> subnetId,
            Key<OfflineFacts> out) {
        return Step.readOnly(name).output(out).reads(instanceId, subnetId).retry(AwsRetry.throttling())
                .describedAs("read the root volume, product codes, instance store, public IP and subnet of the instance")
                .action(ctx -> offlineFacts(ctx.get(instanceId), ctx.find(subnetId).orElse("")));
    }

    /**
     * The facts of one instance that matter before a stop; {@code subnetId} is a subnet id to look up, or anything
     * else (empty, {@code SelectedInstanceSubnet}) for none.
     */
    public OfflineFacts offlineFacts(String instanceId, String subnetId) {
        Ec2Client ec2 = aws.ec2();
        Instance i = instance(instanceId);
        String rootVolume = i.blockDeviceMappings().stream()
                .filter(m -> m.deviceName() != null && m.deviceName().equals(i.rootDeviceName()) && m.ebs() != null)
                .map(InstanceBlockDeviceMapping::ebs).map(e -> e.volumeId()).findFirst().orElse("");
        boolean encrypted = !rootVolume.isEmpty() && ec2.describeVolumes(r -> r.volumeIds(rootVolume)).volumes().stream()
                .anyMatch(v -> Boolean.TRUE.equals(v.encrypted()));
        List<String> marketplace = i.productCodes().stream()
                .filter(c -> "marketplace".equalsIgnoreCase(c.productCodeTypeAsString()))
                .map(ProductCode::productCodeId).toList();
        String type = i.instanceTypeAsString();
        long storeGb = 0;
        int storeDisks = 0;
        if (type != null && !type.isEmpty()) {
            for (InstanceTypeInfo t : ec2.describeInstanceTypes(r -> r.instanceTypesWithStrings(type)).instanceTypes()) {
                if (Boolean.TRUE.equals(t.instanceStorageSupported()) && t.instanceStorageInfo() != null) {
                    storeGb = t.instanceStorageInfo().totalSizeInGB() == null ? 0 : t.instanceStorageInfo().totalSizeInGB();
                    storeDisks = t.instanceStorageInfo().disks().stream()
                            .mapToInt(d -> d.count() == null ? 1 : d.count()).sum();
                }
            }
        }
        String publicIp = i.publicIpAddress() == null ? "" : i.publicIpAddress();
        boolean elastic = !publicIp.isEmpty() && ec2.describeAddresses(r -> r.filters(
                Filter.builder().name("instance-id").values(instanceId).build())).addresses().stream()
                .anyMatch(a -> publicIp.equals(a.publicIp()));
        String subnetAz = "";
        boolean isSubnetId = subnetId != null && subnetId.startsWith("subnet-");
        if (isSubnetId) {
            subnetAz = ec2.describeSubnets(r -> r.subnetIds(subnetId)).subnets().stream()
                    .map(s -> s.availabilityZone()).findFirst().orElse("");
        }
        return new OfflineFacts(instanceId, i.rootDeviceTypeAsString(), rootVolume, encrypted, marketplace,
                i.placement() == null ? "" : i.placement().availabilityZone(), type, storeGb, storeDisks, publicIp,
                elastic, isSubnetId ? subnetId : "", subnetAz);
    }

    /**
     * Sets ENA support of a stopped instance to {@code value} ({@code ModifyInstanceAttribute EnaSupport}) and returns
     * what {@code DescribeInstanceAttribute} reports afterwards.
     */
    public boolean setEnaSupport(String instanceId, boolean value) {
        aws.ec2().modifyInstanceAttribute(r -> r.instanceId(instanceId).enaSupport(v -> v.value(value)));
        return Boolean.TRUE.equals(aws.ec2().describeInstanceAttribute(r -> r.instanceId(instanceId)
                .attribute(InstanceAttributeName.ENA_SUPPORT)).enaSupport().value());
    }
}
