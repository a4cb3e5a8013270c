package dev.stepwise.aws.patch;

import java.util.List;
import org.immutables.value.Value;

/**
 * One patch on which production and non-production disagree, with the production instances concerned.
 *
 * <p>Made by {@link PatchComparison}; tests build one with {@link #builder(Kind, String)} (title, classification
 * and severity default to empty, instances to none). Immutable and thread-safe.
 *
 * <pre>{@code
 * comparison.differences().forEach(d -> System.out.println(d.kind() + " " + d.patchId() + " " + d.title()));
 * PatchDifference expected = PatchDifference.builder(PatchDifference.Kind.NOT_VERIFIED_IN_NON_PRODUCTION, "KB9").
 *     title("Out-of-band fix").
 *     addInstances("i-00000002").
 *     build();
 * }</pre>
 */
@Value.Immutable
public abstract class PatchDifference {

    /** How production and non-production disagree on a patch. */
    public enum Kind {
        /** Non-production installed it in this rollout, but production's patch list does not have it. */
        NOT_IN_PRODUCTION_LIST,
        /** Production would install it, but non-production never installed and verified it. */
        NOT_VERIFIED_IN_NON_PRODUCTION,
        /**
         * Production would install the same package id in another version than the one non-production installed and
         * verified (Linux: the version is in the title, reference aws-patching-and-drivers.md §2 {@code Title}).
         */
        VERSION_DIFFERS
    }

    PatchDifference() {
    }

    /** A builder for a difference of {@code kind} on {@code patchId}. */
    public static Builder builder(Kind kind, String patchId) {
        return new Builder().kind(kind).patchId(patchId);
    }

    /** A builder holding this difference's values. */
    public Builder toBuilder() {
        return new Builder().from(this);
    }

    /** How they disagree. */
    public abstract Kind kind();

    /** The KB or package id. */
    public abstract String patchId();

    /** The title. */
    @Value.Default
    public String title() {
        return "";
    }

    /** For {@link Kind#VERSION_DIFFERS}: the title, with its version, that non-production verified; else empty. */
    @Value.Default
    public String verifiedTitle() {
        return "";
    }

    /** The classification. */
    @Value.Default
    public String classification() {
        return "";
    }

    /** The severity. */
    @Value.Default
    public String severity() {
        return "";
    }

    /** The production instances concerned, sorted by {@link PatchComparison}. */
    public abstract List<String> instances();

    /** One sentence for people. */
    public String explanation() {
        return switch (kind()) {
            case NOT_IN_PRODUCTION_LIST -> "non-production installed it, but it is not in the patch list of " + instances();
            case NOT_VERIFIED_IN_NON_PRODUCTION -> instances() + " would install it, but non-production never installed "
                    + "and verified it";
            case VERSION_DIFFERS -> instances() + " would install " + title() + ", but non-production installed and "
                    + "verified " + verifiedTitle();
        };
    }

    @Override
    public String toString() {
        return patchId() + " (" + title() + ", " + classification() + ", " + severity() + "): " + explanation();
    }

    /** Builds a {@link PatchDifference}. Not thread-safe; reusable. */
    public static final class Builder extends ImmutablePatchDifference.Builder {
        Builder() {
        }
    }
}
