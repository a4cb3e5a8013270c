package dev.stepwise.aws.patch;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.ssm.SsmSteps;
import dev.stepwise.core.rollout.TargetSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.TagDescription;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;

/**
 * The instances to patch, by instance ids or by one EC2 tag ({@code Key} and {@code Values}), as a
 * {@link TargetSource} for rollouts. Resolved when a wave starts: tags through {@code DescribeInstances} with a
 * tag filter (running instances, every page), then every instance checked against SSM's managed instances with
 * an online agent ({@link SsmSteps#managed}). Windows and Linux instances alike.
 *
 * <p>Never silently empty: a tag key on no instance, tag values on no instance, ids that match no running instance,
 * or instances SSM does not manage online, each fail resolution with a {@link PatchTargetException} naming them.
 * The specification itself (ids, key, values) is checked when the source is made, before any call. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * TargetSource dev = PatchTargets.tagged(aws, "Env", "dev", "test");
 * TargetSource two = PatchTargets.ids(aws, "i-0123456789abcdef0", "i-0fedcba9876543210");
 * }</pre>
 */
public final class PatchTargets implements TargetSource {
    private final AwsContext aws;
    private final List<String> ids;
    private final String tagKey;
    private final List<String> tagValues;

    private PatchTargets(AwsContext aws, List<String> ids, String tagKey, List<String> tagValues) {
        this.aws = Objects.requireNonNull(aws, "aws");
        this.ids = ids;
        this.tagKey = tagKey;
        this.tagValues = tagValues;
    }

    /**
     * These instances.
     *
     * @throws InvalidPatchSettingException listing every problem: the list is empty, an id is malformed or given
     *                                      twice
     */
    public static PatchTargets ids(AwsContext aws, String... instanceIds) {
        return ids(aws, List.of(instanceIds));
    }

    /** These instances; see {@link #ids(AwsContext, String...)}. */
    public static PatchTargets ids(AwsContext aws, List<String> instanceIds) {
        Objects.requireNonNull(aws, "aws");
        return new PatchTargets(aws, Checks.instanceIds(instanceIds), null, List.of());
    }

    /**
     * The running instances whose tag {@code key} has one of {@code values}.
     *
     * @throws InvalidPatchSettingException listing every problem: the key is blank, longer than 128 or starts
     *                                      with {@code aws:}; there are no values, or a blank one
     */
    public static PatchTargets tagged(AwsContext aws, String key, String... values) {
        return tagged(aws, key, List.of(values));
    }

    /** See {@link #tagged(AwsContext, String, String...)}. */
    public static PatchTargets tagged(AwsContext aws, String key, List<String> values) {
        Objects.requireNonNull(aws, "aws");
        List<InvalidPatchSettingException.Violation> v = new ArrayList<>();
        Checks.tagKey(key, v);
        Checks.tagValues(key, values, v);
        Checks.throwIfAny(v);
        return new PatchTargets(aws, null, key, List.copyOf(values));
    }

    /** The instance ids given, if this source is by ids. */
    public Optional<List<String>> instanceIds() {
        return Optional.ofNullable(ids);
    }

    /** The tag key, if this source is by tag. */
    public Optional<String> tagKey() {
        return Optional.ofNullable(tagKey);
    }

    /** The tag values (empty for a source by ids). */
    public List<String> tagValues() {
        return tagValues;
    }

    @Override
    public List<String> resolve() {
        return List.copyOf(resolveManaged().keySet());
    }

    /**
     * The instances with their SSM platform type ({@code Windows}, {@code Linux}, …), in the order found.
     *
     * @throws PatchTargetException if nothing matches or an instance is not managed by SSM with an online agent
     */
    public Map<String, String> resolveManaged() {
        for (int attempt = 1; ; attempt++) {
            try {
                return resolveOnce();
            } catch (RuntimeException e) {
                // throttling, 5xx and dropped connections pass; the SDK's own retries may not have absorbed them
                if (attempt >= RESOLVE_ATTEMPTS || !dev.stepwise.aws.AwsRetry.isTransient(e)) {
                    throw e;
                }
            }
        }
    }

    /** How often resolution is tried when AWS answers with a transient failure. */
    private static final int RESOLVE_ATTEMPTS = 4;

    private Map<String, String> resolveOnce() {
        List<String> found = ids != null ? runningOf(ids) : byTag();
        Map<String, InstanceInformation> managed = SsmSteps.using(aws).managed(found);
        List<String> unmanaged = found.stream().filter(id -> !managed.containsKey(id)).toList();
        if (!unmanaged.isEmpty()) {
            throw new PatchTargetException(description() + ": " + unmanaged.size() + " of " + found.size()
                    + " instance(s) are not managed by SSM with an online agent: " + unmanaged
                    + "; install or start the SSM agent and attach AmazonSSMManagedInstanceCore, or leave them out");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String id : found) {
            InstanceInformation info = managed.get(id);
            out.put(id, info.platformTypeAsString() == null ? "" : info.platformTypeAsString());
        }
        return out;
    }

    private List<String> runningOf(List<String> wanted) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < wanted.size(); i += 200) {
            List<String> batch = wanted.subList(i, Math.min(wanted.size(), i + 200));
            for (var page : aws.ec2().describeInstancesPaginator(r -> r.filters(
                    Filter.builder().name("instance-id").values(batch).build(),
                    Filter.builder().name("instance-state-name").values("running").build()))) {
                page.reservations().stream().flatMap(res -> res.instances().stream()).map(Instance::instanceId)
                        .forEach(found::add);
            }
        }
        List<String> ordered = wanted.stream().filter(found::contains).toList();
        List<String> absent = wanted.stream().filter(id -> !found.contains(id)).toList();
        if (!absent.isEmpty()) {
            throw new PatchTargetException(description() + ": " + absent.size() + " instance(s) are not running EC2 "
                    + "instances in " + aws.region() + ": " + absent);
        }
        return ordered;
    }

    private List<String> byTag() {
        List<String> found = new ArrayList<>();
        for (var page : aws.ec2().describeInstancesPaginator(r -> r.filters(
                Filter.builder().name("tag:" + tagKey).values(tagValues).build(),
                Filter.builder().name("instance-state-name").values("running").build()))) {
            for (Reservation res : page.reservations()) {
                for (Instance i : res.instances()) {
                    if (!found.contains(i.instanceId())) {
                        found.add(i.instanceId());
                    }
                }
            }
        }
        if (found.isEmpty()) {
            throw new PatchTargetException(emptyReason());
        }
        return found;
    }

    /** Why a tag matched nothing: the key is on no instance, or none of the values is. */
    private String emptyReason() {
        TreeSet<String> valuesSeen = new TreeSet<>();
        for (var page : aws.ec2().describeTagsPaginator(r -> r.filters(
                Filter.builder().name("key").values(tagKey).build(),
                Filter.builder().name("resource-type").values("instance").build()))) {
            page.tags().stream().map(TagDescription::value).forEach(valuesSeen::add);
        }
        if (valuesSeen.isEmpty()) {
            return description() + " resolved to no instance: tag key \"" + tagKey + "\" is on no instance in "
                    + aws.region() + " (check the key's spelling and case)";
        }
        return description() + " resolved to no running instance: tag key \"" + tagKey + "\" has values "
                + valuesSeen + " on instances, but none of " + tagValues + " is on a running instance";
    }

    @Override
    public String description() {
        return ids != null ? "instances " + (ids.size() <= 5 ? ids : ids.subList(0, 5) + " and " + (ids.size() - 5) + " more")
                : "ec2 tag " + tagKey + "=" + String.join(",", tagValues);
    }

    @Override
    public String toString() {
        return "PatchTargets{" + description() + "}";
    }
}
