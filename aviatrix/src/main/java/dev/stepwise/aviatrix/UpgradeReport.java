package dev.stepwise.aviatrix;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a {@link ControllerUpgrade} did along its path: the hops completed, the backups made, and the
 * version the controller reached. It is the output of the plan's upgrade step, and a failed hop
 * carries the report so far in its {@link ControllerUpgradeException}.
 *
 * <p>Holds no credential or session id, so it is safe to print, log and write as JSON (versions are
 * JSON strings). Immutable and thread-safe.
 *
 * <pre>{@code
 * UpgradeReport report = result.output(ControllerUpgrade.UPGRADE_REPORT).orElseThrow();
 * report.versionReached();   // 6.8.1149
 * report.backups().size();   // one per hop
 * }</pre>
 *
 * @param from the version the path started from
 * @param target the version the path ends on
 * @param hopsPlanned how many hops the path has
 * @param hops the hops completed, in order
 * @param backups the backups made, in order (one before every hop that was started)
 * @param versionReached the version the controller runs after the last completed hop
 */
public record UpgradeReport(ControllerVersion from, ControllerVersion target, int hopsPlanned, List<HopDone> hops,
        List<BackupMade> backups, ControllerVersion versionReached) {

    /** Validates the parts and copies the lists. */
    public UpgradeReport {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(target, "target");
        hops = List.copyOf(Objects.requireNonNull(hops, "hops"));
        backups = List.copyOf(Objects.requireNonNull(backups, "backups"));
        Objects.requireNonNull(versionReached, "versionReached");
    }

    /**
     * One completed hop.
     *
     * @param number the hop's position, from 1
     * @param from the version before the hop
     * @param to the version named in the upgrade call
     * @param reached the version the controller reported after the hop
     * @param requestId the controller's request id for the upgrade
     */
    public record HopDone(int number, ControllerVersion from, ControllerVersion to, ControllerVersion reached,
            String requestId) {
        /** Validates the parts. */
        public HopDone {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(reached, "reached");
            Objects.requireNonNull(requestId, "requestId");
        }

        @Override
        public String toString() {
            return "hop " + number + " " + from + " -> " + reached;
        }
    }

    /**
     * One backup the upgrade made ({@code enable_cloudn_backup_config} with {@code now=true}).
     *
     * @param beforeHop the hop it preceded, from 1
     * @param takenOn the version the controller ran when it was taken
     * @param bucketName where it was stored
     */
    public record BackupMade(int beforeHop, ControllerVersion takenOn, String bucketName) {
        /** Validates the parts. */
        public BackupMade {
            Objects.requireNonNull(takenOn, "takenOn");
            Objects.requireNonNull(bucketName, "bucketName");
        }

        @Override
        public String toString() {
            return "before hop " + beforeHop + " on " + takenOn + " to " + bucketName;
        }
    }

    /** @return whether every planned hop was completed */
    public boolean isComplete() {
        return hops.size() == hopsPlanned;
    }

    /** @return the versions reached, from the start, e.g. {@code 6.5.2608 -> 6.6.5224 -> 6.7.1185} */
    public String versionsReached() {
        StringBuilder sb = new StringBuilder(from.toString());
        for (HopDone h : hops) {
            sb.append(" -> ").append(h.reached());
        }
        return sb.toString();
    }

    /** @return the backups in one line, e.g. {@code 2 (before hop 1 on 6.5.2608 to b, before hop 2 on 6.6.5224 to b)} */
    public String backupsMade() {
        if (backups.isEmpty()) {
            return "none";
        }
        return backups.size() + " (" + backups.stream().map(BackupMade::toString).collect(Collectors.joining(", "))
                + ")";
    }

    /** @return one line: versions reached, hops done of planned, backups made */
    @Override
    public String toString() {
        return versionsReached() + " (" + hops.size() + " of " + hopsPlanned + (hopsPlanned == 1 ? " hop" : " hops")
                + " to " + target + "); backups: " + backupsMade();
    }
}
