package dev.stepwise.aws.patch;

import java.util.List;
import java.util.Objects;

/**
 * One patch on which production and non-production disagree, with the production instances concerned.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * comparison.differences().forEach(d -> System.out.println(d.kind() + " " + d.patchId() + " " + d.title()));
 * }</pre>
 *
 * @param kind           how they disagree
 * @param patchId        the KB or package id
 * @param title          the title
 * @param classification the classification
 * @param severity       the severity
 * @param instances      the production instances concerned, sorted
 */
public record PatchDifference(Kind kind, String patchId, String title, String classification, String severity,
        List<String> instances) {

    /** How production and non-production disagree on a patch. */
    public enum Kind {
        /** Non-production installed it in this rollout, but production's patch list does not have it. */
        NOT_IN_PRODUCTION_LIST,
        /** Production would install it, but non-production never installed and verified it. */
        NOT_VERIFIED_IN_NON_PRODUCTION
    }

    public PatchDifference {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(patchId, "patchId");
        instances = List.copyOf(instances);
    }

    /** One sentence for people. */
    public String explanation() {
        return kind == Kind.NOT_IN_PRODUCTION_LIST
                ? "non-production installed it, but it is not in the patch list of " + instances
                : instances + " would install it, but non-production never installed and verified it";
    }

    @Override
    public String toString() {
        return patchId + " (" + title + ", " + classification + ", " + severity + "): " + explanation();
    }
}
