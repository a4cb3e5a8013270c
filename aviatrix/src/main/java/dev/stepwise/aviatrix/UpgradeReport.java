package dev.stepwise.aviatrix;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.stream.Collectors;
import org.immutables.value.Value;

/**
 * What a {@link ControllerUpgrade} did along its path: the hops completed, the backups made, and the
 * version the controller reached. It is the output of the plan's upgrade step, and a failed hop
 * carries the report so far in its {@link ControllerUpgradeException}.
 *
 * <p>Holds no credential or session id, so it is safe to print, log and write as JSON (versions are
 * JSON strings; the fields are {@code from, target, hopsPlanned, hops, backups, versionReached}, read back from
 * journals by Jackson). Tests of a listener or of code reading results build one with
 * {@link #builder(ControllerVersion, ControllerVersion)} (defaults: no hop planned or done, no backup, the version
 * reached is {@code from}). Immutable and thread-safe; {@link #toBuilder()} starts a changed copy.
 *
 * <pre>{@code
 * UpgradeReport report = result.output(ControllerUpgrade.UPGRADE_REPORT).orElseThrow();
 * report.versionReached();   // 6.8.1149
 * report.backups().size();   // one per hop
 * UpgradeReport halfway = UpgradeReport.builder(ControllerVersion.parse("6.5.2608"), ControllerVersion.parse("6.8")).
 *     hopsPlanned(3).
 *     addHops(UpgradeReport.HopDone.of(1, ControllerVersion.parse("6.5.2608"), ControllerVersion.parse("6.6"),
 *         ControllerVersion.parse("6.6.5224"), "req-1")).
 *     versionReached(ControllerVersion.parse("6.6.5224")).
 *     build();
 * }</pre>
 */
@Value.Immutable
@JsonSerialize(as = ImmutableUpgradeReport.class)
@JsonDeserialize(as = ImmutableUpgradeReport.class)
public abstract class UpgradeReport {

    UpgradeReport() {
    }

    /**
     * @param from the version the path started from
     * @param target the version the path ends on
     * @return a builder with the defaults above
     */
    public static Builder builder(ControllerVersion from, ControllerVersion target) {
        return new Builder().from(from).target(target);
    }

    /** @return a builder holding this report's values */
    public Builder toBuilder() {
        // set one by one: the attribute "from" hides the generated builder's copy-everything from(UpgradeReport)
        Builder b = builder(from(), target());
        b.hopsPlanned(hopsPlanned()).hops(hops()).backups(backups()).versionReached(versionReached());
        return b;
    }

    /** @return the version the path started from */
    public abstract ControllerVersion from();

    /** @return the version the path ends on */
    public abstract ControllerVersion target();

    /** @return how many hops the path has */
    @Value.Default
    public int hopsPlanned() {
        return 0;
    }

    /** @return the hops completed, in order */
    public abstract List<HopDone> hops();

    /** @return the backups made, in order (one before every hop that was started) */
    public abstract List<BackupMade> backups();

    /** @return the version the controller runs after the last completed hop (default {@link #from()}) */
    @Value.Default
    public ControllerVersion versionReached() {
        return from();
    }

    /**
     * One completed hop. Made by {@link #of}; immutable and thread-safe.
     */
    @Value.Immutable
    @JsonSerialize(as = ImmutableHopDone.class)
    @JsonDeserialize(as = ImmutableHopDone.class)
    public abstract static class HopDone {
        HopDone() {
        }

        /**
         * @param number the hop's position, from 1
         * @param from the version before the hop
         * @param to the version named in the upgrade call
         * @param reached the version the controller reported after the hop
         * @param requestId the controller's request id for the upgrade
         * @return the hop
         */
        public static HopDone of(int number, ControllerVersion from, ControllerVersion to, ControllerVersion reached,
                String requestId) {
            return ImmutableHopDone.builder().number(number).from(from).to(to).reached(reached).requestId(requestId)
                    .build();
        }

        /** @return the hop's position, from 1 */
        public abstract int number();

        /** @return the version before the hop */
        public abstract ControllerVersion from();

        /** @return the version named in the upgrade call */
        public abstract ControllerVersion to();

        /** @return the version the controller reported after the hop */
        public abstract ControllerVersion reached();

        /** @return the controller's request id for the upgrade */
        public abstract String requestId();

        @Override
        public String toString() {
            return "hop " + number() + " " + from() + " -> " + reached();
        }
    }

    /**
     * One backup the upgrade made ({@code enable_cloudn_backup_config} with {@code now=true}). Made by {@link #of};
     * immutable and thread-safe.
     */
    @Value.Immutable
    @JsonSerialize(as = ImmutableBackupMade.class)
    @JsonDeserialize(as = ImmutableBackupMade.class)
    public abstract static class BackupMade {
        BackupMade() {
        }

        /**
         * @param beforeHop the hop it preceded, from 1
         * @param takenOn the version the controller ran when it was taken
         * @param bucketName where it was stored
         * @return the backup
         */
        public static BackupMade of(int beforeHop, ControllerVersion takenOn, String bucketName) {
            return ImmutableBackupMade.builder().beforeHop(beforeHop).takenOn(takenOn).bucketName(bucketName).build();
        }

        /**
         * @param lastHop the number of the last hop
         * @param takenOn the version the controller ran
         * @param bucketName where it went
         * @return the backup taken after the last hop
         */
        public static BackupMade afterLast(int lastHop, ControllerVersion takenOn, String bucketName) {
            return ImmutableBackupMade.builder().beforeHop(lastHop + 1).takenOn(takenOn).bucketName(bucketName)
                    .afterLastHop(true).build();
        }

        /** @return whether this is the backup after the last hop (then {@link #beforeHop()} is the last hop + 1) */
        @Value.Default
        public boolean afterLastHop() {
            return false;
        }

        /** @return the hop it preceded, from 1 */
        public abstract int beforeHop();

        /** @return the version the controller ran when it was taken */
        public abstract ControllerVersion takenOn();

        /** @return where it was stored */
        public abstract String bucketName();

        @Override
        public String toString() {
            return (afterLastHop() ? "after the last hop" : "before hop " + beforeHop()) + " on " + takenOn() + " to "
                    + bucketName();
        }
    }

    /** @return whether every planned hop was completed */
    @JsonIgnore
    public boolean isComplete() {
        return hops().size() == hopsPlanned();
    }

    /** @return the versions reached, from the start, e.g. {@code 6.5.2608 -> 6.6.5224 -> 6.7.1185} */
    public String versionsReached() {
        StringBuilder sb = new StringBuilder(from().toString());
        for (HopDone h : hops()) {
            sb.append(" -> ").append(h.reached());
        }
        return sb.toString();
    }

    /** @return the backups in one line, e.g. {@code 2 (before hop 1 on 6.5.2608 to b, before hop 2 on 6.6.5224 to b)} */
    public String backupsMade() {
        if (backups().isEmpty()) {
            return "none";
        }
        return backups().size() + " (" + backups().stream().map(BackupMade::toString).collect(Collectors.joining(", "))
                + ")";
    }

    /** @return one line: versions reached, hops done of planned, backups made */
    @Override
    public String toString() {
        return versionsReached() + " (" + hops().size() + " of " + hopsPlanned() + (hopsPlanned() == 1 ? " hop" : " hops")
                + " to " + target() + "); backups: " + backupsMade();
    }

    /** Builds an {@link UpgradeReport}. Not thread-safe; reusable. */
    public static final class Builder extends ImmutableUpgradeReport.Builder {
        Builder() {
        }
    }
}
