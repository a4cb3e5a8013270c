package dev.stepwise.aws.patch;

import java.util.Objects;

/**
 * One patch on one instance: its id (a KB or bulletin id on Windows, {@code name.arch} on Linux), title,
 * classification, severity and state. Immutable and thread-safe.
 *
 * <p>A record, not a generated value: one patch as SSM reports it, journaled inside {@link PatchCompliance} and read
 * back by Jackson, and small and stable enough that tests of {@link PatchComparison} build it with its constructor.
 *
 * <pre>{@code
 * new PatchInfo("KB5031356", "2023-10 Cumulative Update", "SecurityUpdates", "Critical", PatchState.MISSING);
 * }</pre>
 *
 * @param id             the patch id ({@code KBId})
 * @param title          the title
 * @param classification e.g. {@code SecurityUpdates}
 * @param severity       e.g. {@code Critical}
 * @param state          its state on the instance
 */
public record PatchInfo(String id, String title, String classification, String severity, PatchState state) {
    public PatchInfo {
        Objects.requireNonNull(id, "id");
        title = title == null ? "" : title;
        classification = classification == null ? "" : classification;
        severity = severity == null ? "" : severity;
        Objects.requireNonNull(state, "state");
    }

    /** Whether it is installed and needs nothing more: {@code INSTALLED} or {@code INSTALLED_OTHER}. */
    public boolean isInstalled() {
        return state == PatchState.INSTALLED || state == PatchState.INSTALLED_OTHER;
    }

    @Override
    public String toString() {
        return id + " " + state + " (" + title + ", " + classification + ", " + severity + ")";
    }
}
