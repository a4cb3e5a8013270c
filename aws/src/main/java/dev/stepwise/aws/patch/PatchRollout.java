package dev.stepwise.aws.patch;

import static dev.stepwise.aws.patch.PatchKeys.AFTER;
import static dev.stepwise.aws.patch.PatchKeys.BACKUP_IMAGE;
import static dev.stepwise.aws.patch.PatchKeys.BEFORE;
import static dev.stepwise.aws.patch.PatchKeys.INSTALL;
import static dev.stepwise.aws.patch.PatchKeys.INSTANCE_ID;
import static dev.stepwise.aws.patch.PatchKeys.OS;
import static dev.stepwise.aws.patch.PatchKeys.PINNED;
import static dev.stepwise.aws.patch.PatchKeys.REPORTED;
import static dev.stepwise.aws.patch.PatchKeys.VERIFIED;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.ec2.Ec2Steps;
import dev.stepwise.aws.ssm.SsmSteps;
import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.journal.JournalException;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.notify.Announcement;
import dev.stepwise.core.notify.Notifications;
import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.plan.StepContext;
import dev.stepwise.core.rollout.Approval;
import dev.stepwise.core.rollout.Approver;
import dev.stepwise.core.rollout.Checkpoint;
import dev.stepwise.core.rollout.CheckpointResult;
import dev.stepwise.core.rollout.GateVerdict;
import dev.stepwise.core.rollout.MaintenanceWindow;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.TargetResult;
import dev.stepwise.core.rollout.TargetSource;
import dev.stepwise.core.rollout.TargetStatus;
import dev.stepwise.core.rollout.Wave;
import dev.stepwise.core.rollout.WaveResult;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.TimeSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;

/**
 * A staged Patch Manager rollout: non-production first, a soak, then production only if production's patches match
 * what non-production installed and verified — as one core {@link Rollout}, with one id, one journal and one event
 * stream, that can be parked and resumed in another process ({@link #resume(Runner, String)}).
 *
 * <p>What runs, in order (each wave runs a plan of its own on each instance):
 * <ol>
 *   <li>Wave {@value #NON_PRODUCTION}: read the OS from SSM → read the last report (READ_ONLY) → Scan → the database
 *       backup step, when given → an AMI backup without a reboot (tagged with the run in the creating call, never
 *       made twice), or snapshots ({@link Builder#snapshotBackup()}) → Install → rescan → verify (no failed patch, no approved patch still missing, and with
 *       {@code RebootIfNeeded} no pending reboot).</li>
 *   <li>Soak, on the rollout's clock (default 7 days), journaled: a resume waits only what remains; with
 *       {@link Builder#soak(Duration, Approver)} an approval ends it early (a rejection halts). With health alarms
 *       or health checks, the soak is watched every {@link Builder#healthWatchEvery} (default 1 hour) and at its end;
 *       each verdict is journaled and the first failing one halts ({@link Checkpoint.WatchedSoak}).</li>
 *   <li>Wave {@value #NON_PRODUCTION_RESCAN}: non-production is scanned again; every verified patch must still be
 *       installed, none {@code FAILED} or {@code INSTALLED_REJECTED}; then the alarms and health checks once more.</li>
 *   <li>Wave {@value #PRODUCTION_SCAN}: read the OS → read the last report → Scan.</li>
 *   <li>The comparison ({@link PatchComparison}), a gate with data: any difference halts before production changes.
 *       Its verdict and data — the per-patch diff and the verified patches per OS — are journaled, so a resume
 *       recalls them rather than comparing again. With an install override list {@link Pin} and a publisher, the
 *       list is published before the verdict is journaled.</li>
 *   <li>An approval ({@link Builder#approveProduction}) and an announcement ({@link Builder#announceProduction}),
 *       when given: only once the comparison passed, so nobody is asked about or told of a change that will not
 *       happen.</li>
 *   <li>Wave {@value #PRODUCTION}, on exactly the instances scanned: read the OS → read the report → recall the
 *       verified patches of the instance's OS from the gate's data, which the engine hands the wave's steps
 *       ({@link StepContext#waveCheckpoints()}; from the journal on a resume) → database backup → AMI backup →
 *       Install (pinned, see {@link Pin}) → rescan → verify, including that every patch the Install added is one
 *       non-production verified (same id and version) and, when pinned to a list, that none of the verified
 *       patches is still missing.</li>
 * </ol>
 * Nothing travels between waves in memory: the targets of the production wave are computed from the production
 * scan's results and frozen in the journal, the OS and the compliance pictures are step outputs, and the verified
 * set is the gate's journaled data, handed to the production wave as its checkpoint rows. Rate control is the waves' concurrency, ramp and error budget; each instance
 * gets its own AWS-RunPatchBaseline command.
 *
 * <p>Defaults: soak 7 days; {@code RebootIfNeeded}; AMI backups on, taken without a reboot (see
 * {@link Builder#amiBackupWithoutReboot()} for why);
 * no database backup step; production must be pinned ({@link Builder#pin}, {@link Pin#s3} the default to reach for) or
 * explicitly unpinned ({@link Builder#unpinnedProduction()}); non-production at most 50% of its instances at once, production-scan 10 at
 * once, production at most 10% at once with a ramp (1, 2, 4, …, the first a canary); every wave halts at its
 * first failure (maxErrors 0). A live run needs a journal: the rollout's own ({@link Builder#journal}), else the
 * runner's, else a new temporary directory, deleted when the run ends; when the run parks instead, the directory is
 * kept and a warning in the result names it, so the rollout can still be resumed with that journal. A dry run reads the last
 * reported compliance (READ_ONLY) and predicts every SendCommand and CreateImage; it sends no command. Immutable and
 * thread-safe; one rollout may be run many times, each run with its own rollout id.
 *
 * <pre>{@code
 * PatchRollout monthly = PatchRollout.builder("monthly-patching", aws).
 *     nonProduction(PatchTargets.tagged(aws, "Env", "dev", "test")).
 *     production(PatchTargets.tagged(aws, "Env", "prod")).
 *     soak(Duration.ofDays(7)).
 *     pin(Pin.s3("patch-lists", "monthly/")).
 *     journal(JournalStore.directory(Path.of("journals"))).
 *     build();
 * PatchRolloutResult r = monthly.run(Runner.create().parkLongerThan(Duration.ofMinutes(5)));
 * // a daily job, in a new process, with the same settings:
 * PatchRolloutResult later = monthly.resume(Runner.create().parkLongerThan(Duration.ofMinutes(5)), r.rolloutId());
 * }</pre>
 */
public final class PatchRollout {
    private static final Logger log = LoggerFactory.getLogger(PatchRollout.class);

    /** The first wave's name. */
    public static final String NON_PRODUCTION = "non-production";
    /** The wave that scans non-production again after the soak, for the health check. */
    public static final String NON_PRODUCTION_RESCAN = "non-production-rescan";
    /** The wave that scans production before the comparison. */
    public static final String PRODUCTION_SCAN = "production-scan";
    /** The last wave's name. */
    public static final String PRODUCTION = "production";
    /** The default soak: 7 days. */
    public static final Duration DEFAULT_SOAK = Duration.ofDays(7);
    /** How long a patch snapshot can be regenerated for (GetDeployablePatchSnapshotForInstance). */
    public static final Duration SNAPSHOT_VALIDITY = Duration.ofDays(3);
    static final String GATE = "production's patches match what non-production installed and verified";
    static final String HEALTH_GATE = "non-production still has every verified patch installed after the soak";
    static final String ALARM_GATE = "the health alarms are not in ALARM";
    static final String HEALTH_WATCH = "the health alarms are not in ALARM and the health checks hold";
    /** How often a soak with health alarms or checks is watched, unless {@link Builder#healthWatchEvery} says. */
    public static final Duration DEFAULT_HEALTH_WATCH = Duration.ofHours(1);
    /** The gate data's field for the URL the verified list was published to. */
    static final String LIST_URL = "installOverrideList";
    static final String UNPINNED_WARNING = "production is not pinned (unpinnedProduction): its Install takes whatever "
            + "its baseline approves at that moment, so a patch released after the comparison is installed too; the "
            + "post-install check then fails that instance, after the fact";
    static final String UNCOVERED_WARNING = "a production OS no non-production instance covered is accepted "
            + "(acceptUncoveredProductionOs): its production instances are left out of the production wave and stay "
            + "unpatched, instead of the rollout halting";
    /** The naming rule of rollouts. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private final String name;
    private final AwsContext aws;
    private final TargetSource nonProduction;
    private final TargetSource production;
    private final Duration soak;
    private final Approver soakApprover;
    private final RebootOption reboot;
    private final boolean amiBackup;
    private final boolean amiNoReboot;
    private final Step<?> databaseBackup;
    private final Pin pin;
    private final Consumer<Wave.Builder> nonProductionWave;
    private final Consumer<Wave.Builder> productionWave;
    private final Announcement productionAnnouncement;
    private final Announcement nonProductionAnnouncement;
    private final Approval productionApproval;
    private final JournalStore journal;
    private final boolean unpinned;
    private final boolean rebootAfterInstall;
    private final boolean acceptPendingReboot;
    private final boolean snapshotBackup;
    private final AwsContext productionAws;
    private final MaintenanceWindow nonProductionWindow;
    private final MaintenanceWindow productionWindow;
    private final List<String> alarmNames;
    private final String alarmPrefix;
    private final boolean allowInsufficientData;
    private final String rolloutId;
    private final List<Map.Entry<String, java.util.function.Predicate<RolloutResult>>> healthChecks;
    private final Duration healthWatch;
    private final java.time.LocalDate approveUntil;
    private final boolean acceptUncovered;

    private PatchRollout(Builder b) {
        this.name = b.name;
        this.aws = b.aws;
        this.nonProduction = b.nonProduction;
        this.production = b.production;
        this.soak = b.soak;
        this.soakApprover = b.soakApprover;
        this.reboot = b.reboot;
        this.amiBackup = b.amiBackup;
        this.amiNoReboot = b.amiNoReboot;
        this.databaseBackup = b.databaseBackup;
        this.pin = b.pin;
        this.nonProductionWave = b.nonProductionWave;
        this.productionWave = b.productionWave;
        this.productionAnnouncement = b.productionAnnouncement;
        this.nonProductionAnnouncement = b.nonProductionAnnouncement;
        this.productionApproval = b.productionApproval;
        this.journal = b.journal;
        this.unpinned = b.unpinned;
        this.rebootAfterInstall = b.rebootAfterInstall;
        this.acceptPendingReboot = b.acceptPendingReboot;
        this.snapshotBackup = b.snapshotBackup;
        this.productionAws = b.productionAws;
        this.nonProductionWindow = b.nonProductionWindow;
        this.productionWindow = b.productionWindow;
        this.alarmNames = List.copyOf(b.alarmNames);
        this.alarmPrefix = b.alarmPrefix;
        this.allowInsufficientData = b.allowInsufficientData;
        this.rolloutId = b.rolloutId;
        this.healthChecks = List.copyOf(b.healthChecks);
        this.healthWatch = b.healthWatch;
        this.approveUntil = b.approveUntil;
        this.acceptUncovered = b.acceptUncovered;
    }

    /** Starts a rollout called {@code name} (letters, digits, '_', '.', '-'; at most 128) acting in {@code aws}. */
    public static Builder builder(String name, AwsContext aws) {
        return new Builder(name, aws);
    }

    /**
     * A builder holding this rollout's settings, for a variant: {@code rollout.toBuilder().soak(Duration.ofDays(1)).build()}.
     * The name and the context stay; a wave change given to the builder replaces the one this rollout has.
     */
    public Builder toBuilder() {
        Builder b = new Builder(name, aws);
        b.nonProduction = nonProduction;
        b.production = production;
        b.soak = soak;
        b.soakApprover = soakApprover;
        b.reboot = reboot;
        b.amiBackup = amiBackup;
        b.amiNoReboot = amiNoReboot;
        b.databaseBackup = databaseBackup;
        b.pin = pin;
        b.nonProductionWave = nonProductionWave;
        b.productionWave = productionWave;
        b.productionAnnouncement = productionAnnouncement;
        b.nonProductionAnnouncement = nonProductionAnnouncement;
        b.productionApproval = productionApproval;
        b.journal = journal;
        b.unpinned = unpinned;
        b.rebootAfterInstall = rebootAfterInstall;
        b.acceptPendingReboot = acceptPendingReboot;
        b.snapshotBackup = snapshotBackup;
        b.productionAws = productionAws;
        b.nonProductionWindow = nonProductionWindow;
        b.productionWindow = productionWindow;
        b.alarmNames.addAll(alarmNames);
        b.alarmPrefix = alarmPrefix;
        b.allowInsufficientData = allowInsufficientData;
        b.rolloutId = rolloutId;
        b.healthChecks.addAll(healthChecks);
        b.healthWatch = healthWatch;
        b.approveUntil = approveUntil;
        b.acceptUncovered = acceptUncovered;
        return b;
    }

    public String name() {
        return name;
    }

    public Duration soak() {
        return soak;
    }

    public RebootOption rebootOption() {
        return reboot;
    }

    public Optional<Pin> pin() {
        return Optional.ofNullable(pin);
    }

    /** Whether an AMI of each instance is taken before its Install. */
    public boolean amiBackup() {
        return amiBackup;
    }

    /** The journal store this rollout keeps its journal in, if one was given. */
    public Optional<JournalStore> journal() {
        return Optional.ofNullable(journal);
    }

    /** A dry run: reads the last reports and predicts every command; changes nothing and sends no command. */
    public PatchRolloutResult dryRun(Runner runner) {
        return run(runner.dryRun());
    }

    /**
     * Runs the rollout live (or dry, per the runner) with the runner's clock, listeners and park threshold; live, in
     * this rollout's journal, else the runner's, else a new temporary directory. A runner that parks makes this
     * return {@code WAITING} at the first long wait; continue with {@link #resume(Runner, String)} and
     * {@link PatchRolloutResult#rolloutId()}.
     */
    public PatchRolloutResult run(Runner runner) {
        Objects.requireNonNull(runner, "runner");
        List<InvalidPatchSettingException.Violation> closed = new ArrayList<>();
        java.time.Instant now = runner.timeSource().now();
        for (var w : List.of(Map.entry("nonProductionWindow", Optional.ofNullable(nonProductionWindow)),
                Map.entry("productionWindow", Optional.ofNullable(productionWindow)))) {
            w.getValue().filter(x -> x.nextOpening(now).isEmpty()).ifPresent(x -> closed.add(
                    new InvalidPatchSettingException.Violation(w.getKey(), x.description(), "never opens after " + now
                            + " on the runner's clock, so the stage would wait forever")));
        }
        if (!closed.isEmpty()) {
            throw new InvalidPatchSettingException(closed);
        }
        if (!alarmNames.isEmpty()) {
            List<String> missing = PatchHealth.missing(aws, alarmNames);
            if (!missing.isEmpty()) {
                throw new InvalidPatchSettingException(missing.stream().map(n -> new InvalidPatchSettingException.Violation(
                        "healthAlarms", n, "is no CloudWatch metric alarm in " + aws.region() + " (DescribeAlarms)"))
                        .toList());
            }
        }
        if (alarmPrefix != null && !PatchHealth.anyWithPrefix(aws, alarmPrefix)) {
            throw new InvalidPatchSettingException("healthAlarmPrefix", alarmPrefix, "matches no CloudWatch metric alarm "
                    + "in " + aws.region() + " (DescribeAlarms): the soak would be watched by nothing");
        }
        // bad targets are refused before any change: read-only lookups of both stages (PatchTargets; other target
        // sources are resolved when their wave starts)
        List<String> nonProductionIds = nonProduction instanceof PatchTargets pt ? pt.resolve() : null;
        List<String> productionIds = production instanceof PatchTargets pt ? pt.resolve() : null;
        if (nonProductionIds != null && productionIds != null) {
            List<String> both = productionIds.stream().filter(nonProductionIds::contains).toList();
            if (!both.isEmpty()) {
                throw new InvalidPatchSettingException("production", production.description() + " " + both,
                        "includes instance(s) that are also non-production (" + nonProduction.description() + "): each "
                                + "instance belongs to one stage, or production would be compared with itself");
            }
        }
        if (approveUntil != null) {
            List<String> ids;
            try {
                ids = nonProductionIds != null ? nonProductionIds : nonProduction.resolve();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new PatchTargetException(nonProduction.description() + " could not be resolved: " + e);
            }
            List<InvalidPatchSettingException.Violation> v = PatchCutoff.unsupported(aws, ids, approveUntil);
            if (!v.isEmpty()) {
                throw new InvalidPatchSettingException(v);
            }
        }
        if (runner.isDryRun()) {
            return result(runner.run(toRollout(runner.timeSource())), true).withNotices(noticePreviews(now));
        }
        if (journal != null || runner.journal().isPresent()) {
            PatchRollout self = journaled(runner);
            return self.result(runner.withJournal(self.journal).run(self.toRollout(runner.timeSource())), false);
        }
        java.nio.file.Path temp;
        try {
            temp = Files.createTempDirectory("stepwise-patch-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("a temporary journal directory could not be made", e);
        }
        PatchRollout self = toBuilder().journal(JournalStore.directory(temp)).build();
        PatchRolloutResult r = self.result(runner.withJournal(self.journal).run(self.toRollout(runner.timeSource())), false);
        if (r.status() == dev.stepwise.core.rollout.RolloutStatus.WAITING) {
            String where = "rollout " + r.rolloutId() + " parked in a temporary journal at " + temp + ": resume it with "
                    + "journal(JournalStore.directory(Path.of(\"" + temp + "\"))), and give the rollout a journal of its own "
                    + "next time (the directory is not deleted while the rollout waits)";
            log.warn("{}", where);
            return r.withWarning(where);
        }
        deleteTree(temp);
        return r;
    }

    /** Deletes a temporary journal directory the rollout made, once the rollout ended; a failure is only logged. */
    private static void deleteTree(java.nio.file.Path dir) {
        try (var walk = Files.walk(dir)) {
            for (java.nio.file.Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            log.debug("Deleted the temporary journal {}", dir);
        } catch (IOException | UncheckedIOException e) {
            log.warn("The temporary journal {} could not be deleted: {}", dir, e.toString());
        }
    }

    /**
     * Continues rollout {@code rolloutId} from its journal, in this process or another: built with the same settings
     * ({@link #parameters()} and {@link Builder#fromParameters} rebuild them), finished instances are not patched
     * again, a soak waits only what remains of it, a decided approval is not asked again, a sent announcement is not
     * sent again, and production installs what the journaled comparison verified.
     *
     * @throws JournalException if there is no such rollout in the journal, or it was started by a rollout whose
     *                          structure differs (see {@link Runner#resume(Rollout, String)})
     */
    public PatchRolloutResult resume(Runner runner, String rolloutId) {
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(rolloutId, "rolloutId");
        if (journal == null && runner.journal().isEmpty()) {
            throw new JournalException("PatchRollout " + name + " cannot resume rollout " + rolloutId + ": neither the "
                    + "rollout (journal(store)) nor the runner (withJournal(store)) has a journal store to read it from");
        }
        PatchRollout self = journaled(runner);
        return self.result(runner.withJournal(self.journal).resume(self.toRollout(runner.timeSource()), rolloutId), false);
    }

    /** This rollout with a journal: its own, the runner's, or a new temporary directory. */
    private PatchRollout journaled(Runner runner) {
        if (journal != null) {
            return this;
        }
        JournalStore store = runner.journal().orElseGet(() -> {
            try {
                return JournalStore.directory(Files.createTempDirectory("stepwise-patch-"));
            } catch (IOException e) {
                throw new UncheckedIOException("a temporary journal directory could not be made", e);
            }
        });
        return toBuilder().journal(store).build();
    }

    /**
     * This patch rollout as one core rollout: what {@link #run} and {@link #resume} run, for callers that drive it
     * themselves ({@code runner.withJournal(store).resume(patch.toRollout(), id)}). Its production plan recalls the
     * verified patches from the comparison gate's data that the engine hands the production wave's steps
     * ({@link StepContext#waveCheckpoints()}), so it reads no journal store itself: a resume needs only the store the
     * runner resumes from, and on Temporal the workers need no shared store.
     */
    public Rollout toRollout() {
        return toRollout(TimeSource.system());
    }

    /** {@link #toRollout()}, with notices dated on {@code clock} (the runner's). */
    public Rollout toRollout(TimeSource clock) {
        Rollout.Builder b = Rollout.builder(name, productionPlan());
        b.inputs(t -> Inputs.of(INSTANCE_ID, t));
        b.parameters(parameters()); // journaled when the rollout starts: resume ID needs nothing else
        if (rolloutId != null) {
            b.id(rolloutId);
        }
        if (nonProductionAnnouncement != null) {
            announce(b, nonProductionAnnouncement, NON_PRODUCTION, r -> nonProductionFacts(), clock);
        }
        if (nonProductionWindow != null) {
            b.window(nonProductionWindow, Checkpoint.WindowRule.WAIT);
        }
        b.wave(wave(NON_PRODUCTION, nonProductionWave).plan(nonProductionPlan()).targets(nonProduction))
                .checkpoint(soakCheckpoint())
                .wave(Wave.builder(NON_PRODUCTION_RESCAN).plan(rescanPlan()).maxConcurrency("50%").maxErrors(0)
                        .targets(TargetSource.fromEarlierWaves("the instances patched in wave " + NON_PRODUCTION,
                                r -> wave(r, NON_PRODUCTION).map(w -> w.targets(TargetStatus.SUCCEEDED).stream()
                                        .map(TargetResult::target).toList()).orElse(List.of()))))
                .gateWithData(HEALTH_GATE, r -> PatchHealth.rescan(r, NON_PRODUCTION, NON_PRODUCTION_RESCAN));
        if (!alarmNames.isEmpty() || alarmPrefix != null) {
            b.gateWithData(ALARM_GATE, r -> PatchHealth.alarms(aws, alarmNames, alarmPrefix, allowInsufficientData));
        }
        healthChecks.forEach(h -> b.gate(h.getKey(), h.getValue()));
        b.wave(Wave.builder(PRODUCTION_SCAN).plan(scanPlan()).maxConcurrency(10).maxErrors(0).targets(production))
                .gateWithData(GATE, this::verdict);
        if (productionApproval != null) {
            b.approval(productionApproval);
        }
        if (productionAnnouncement != null) {
            announce(b, productionAnnouncement, PRODUCTION, this::productionFacts, clock);
        }
        if (productionWindow != null) {
            b.window(productionWindow, Checkpoint.WindowRule.WAIT);
        }
        return b.wave(wave(PRODUCTION, productionWave).targets(TargetSource.fromEarlierWaves(
                "the instances scanned in wave " + PRODUCTION_SCAN + (acceptUncovered
                        ? ", except those on an OS no non-production instance covered" : ""), this::productionTargets)))
                .build();
    }

    /**
     * A notice naming what changes, sent from a gate (journaled: never sent twice), then its lead time as a soak
     * (journaled from its start: a resume waits only what remains).
     */
    private static void announce(Rollout.Builder b, Announcement a, String stage,
            Function<RolloutResult, PatchNotices.Facts> facts, TimeSource clock) {
        b.gateWithData("tell " + a.notifications().audience() + " what changes in " + stage + " ("
                + a.notifications().destinations() + (a.isRequired() ? ", required" : "") + ")",
                r -> PatchNotices.send(a, r.rollout(), r, facts.apply(r), clock.now()));
        if (!a.leadTime().isZero()) {
            b.checkpoint(new Checkpoint.Soak(a.leadTime()));
        }
    }

    private PatchNotices.Facts nonProductionFacts() {
        List<String> ids;
        try {
            ids = nonProduction instanceof PatchTargets pt ? List.copyOf(pt.resolveManaged().keySet()) : nonProduction.resolve();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new PatchTargetException(nonProduction.description() + " could not be resolved for the notice: " + e);
        }
        Map<String, List<PatchInfo>> missing = new LinkedHashMap<>();
        PatchSteps.using(aws).compliance(ids).forEach((id, c) -> missing.put("missing on " + id + " as last reported",
                c.missing()));
        return new PatchNotices.Facts(NON_PRODUCTION, PatchNotices.names(aws, ids), missing, nonProductionWindow,
                reboots(), backups());
    }

    /**
     * What a live run would tell whom and when, for a dry run: the non-production notice in full (its facts — the
     * instances, the patches each misses as last reported, the window, reboots, backups — are read-only lookups), and
     * the production notice with its instances, window, reboots and backups, but without patches: which patches it
     * names is the set non-production verifies, known only after its Install, the soak and production's scan.
     */
    private List<String> noticePreviews(java.time.Instant now) {
        List<String> out = new ArrayList<>();
        if (nonProductionAnnouncement != null) {
            PatchNotices.preview(nonProductionAnnouncement, name, nonProductionFacts(), now)
                    .forEach(p -> out.add(NON_PRODUCTION + ": " + p));
        }
        if (productionAnnouncement != null) {
            List<String> ids;
            try {
                ids = production.resolve();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new PatchTargetException(production.description() + " could not be resolved for the notice: " + e);
            }
            PatchNotices.Facts facts = new PatchNotices.Facts(PRODUCTION, PatchNotices.names(productionAws(), ids),
                    Map.of(), productionWindow, reboots(), backups(), "the patches non-production installs and verifies "
                    + "in this rollout, per OS, with their versions: known only after its Install, the soak and "
                    + "production's scan, so a dry run cannot name them");
            java.time.Instant earliest = now.plus(soak);
            PatchNotices.preview(productionAnnouncement, name, facts, earliest)
                    .forEach(p -> out.add(PRODUCTION + " (once the soak and the comparison passed"
                            + (productionApproval == null ? "" : ", and the approval") + ", no earlier than " + earliest
                            + "): " + p));
        }
        return List.copyOf(out);
    }

    private PatchNotices.Facts productionFacts(RolloutResult soFar) {
        List<String> ids = scanned(soFar);
        PatchComparison c = compare(soFar, false);
        Map<String, List<PatchInfo>> byOs = new LinkedHashMap<>();
        wave(soFar, PRODUCTION_SCAN).ifPresent(w -> w.targets().forEach(t -> {
            String os = os(t);
            byOs.putIfAbsent(os, c.verified().getOrDefault(os, List.of()));
        }));
        return new PatchNotices.Facts(PRODUCTION, PatchNotices.names(productionAws(), ids), byOs, productionWindow, reboots(),
                backups());
    }

    private String reboots() {
        if (reboot == RebootOption.REBOOT_IF_NEEDED) {
            return "each instance reboots once after its Install when anything was installed (RebootIfNeeded)";
        }
        return rebootAfterInstall ? "each instance is rebooted once by Stepwise after its Install, then rescanned"
                : "none now (NoReboot): the patches take effect at each instance's next reboot";
    }

    private String backups() {
        List<String> parts = new ArrayList<>();
        if (databaseBackup != null) {
            parts.add("the database backup step " + databaseBackup.name());
        }
        if (amiBackup) {
            parts.add(snapshotBackup ? "crash-consistent snapshots of every attached EBS volume (no reboot)"
                    : amiNoReboot ? "an AMI of each instance, without a reboot" : "an AMI of each instance, with a reboot");
        }
        return parts.isEmpty() ? "none" : String.join(", then ", parts) + ", before each Install";
    }

    /** The production wave's targets: the scanned instances, less those on an uncovered OS when that is accepted. */
    private List<String> productionTargets(RolloutResult soFar) {
        List<String> ids = scanned(soFar);
        if (!acceptUncovered) {
            return ids;
        }
        List<String> left = compare(soFar, false).uncoveredInstances();
        if (!left.isEmpty()) {
            log.warn("Production instance(s) {} are on an OS no non-production instance covered: left unpatched "
                    + "(acceptUncoveredProductionOs)", left);
        }
        return ids.stream().filter(id -> !left.contains(id)).toList();
    }

    private static List<String> scanned(RolloutResult soFar) {
        return wave(soFar, PRODUCTION_SCAN).map(w -> w.targets(TargetStatus.SUCCEEDED).stream().map(TargetResult::target)
                .toList()).orElse(List.of());
    }

    private static Optional<WaveResult> wave(RolloutResult r, String name) {
        return r.waves().stream().filter(w -> w.name().equals(name)).findFirst();
    }

    /**
     * The comparison gate: compares, publishes the install override list when it holds and a publisher is given, and
     * returns the verdict with the comparison as data (journaled by the rollout).
     */
    private GateVerdict verdict(RolloutResult soFar) {
        PatchComparison c = compare(soFar, false);
        log.info("{}", c);
        if (!c.matches()) {
            return GateVerdict.fail(c.problem(), c.toData());
        }
        int n = c.verified().values().stream().mapToInt(List::size).sum();
        Map<String, Object> data = new LinkedHashMap<>(c.toData());
        if (pin != null && pin.pinsProduction()) {
            String url = pin.url(name, soFar.rolloutId());
            log.info("Publishing the install override list of {} verified patch(es) to {}", n, url);
            String yaml = c.installOverrideListYaml();
            if (pin.bucket().isPresent()) {
                putObject(pin.bucket().get(), pin.key(name, soFar.rolloutId()), yaml);
            } else {
                pin.publisher().orElseThrow().accept(yaml);
            }
            data.put(LIST_URL, url);
        }
        return GateVerdict.pass("production's patches match: " + n + " patch(es) verified in non-production"
                + (data.containsKey(LIST_URL) ? ", published to " + data.get(LIST_URL) : ""), data);
    }

    /** Writes the list where production instances read it; path-style when an endpoint is set (a local S3). */
    private void putObject(String bucket, String key, String yaml) {
        try (S3Client s3 = aws.configure(S3Client.builder()).credentialsProvider(aws.credentials())
                .forcePathStyle(aws.endpoint().isPresent()).build()) {
            s3.putObject(r -> r.bucket(bucket).key(key).contentType("application/x-yaml"),
                    RequestBody.fromString(yaml));
        }
    }

    /**
     * The wave called {@code name} with Stepwise's limits for it (non-production 50%; production 10% with a ramp),
     * then {@code change}; the caller sets the targets, so {@code change} cannot.
     */
    private static Wave.Builder wave(String name, Consumer<Wave.Builder> change) {
        Wave.Builder b = name.equals(NON_PRODUCTION) ? Wave.builder(name).maxConcurrency("50%")
                : Wave.builder(name).maxConcurrency("10%").ramp();
        change.accept(b);
        return b;
    }

    private Checkpoint soakCheckpoint() {
        if (soakApprover == null && watched() && !soak.isZero()) {
            return new Checkpoint.WatchedSoak(soak, healthWatch.compareTo(soak) > 0 ? soak : healthWatch,
                    HEALTH_WATCH, this::watch);
        }
        if (soakApprover == null || soak.isZero()) {
            return new Checkpoint.Soak(soak);
        }
        return Approval.by(soakApprover).timeout(soak).onTimeout(Approval.TimeoutRule.APPROVE)
                .describedAs("soak " + soak + " in non-production; an approval ends it early, a rejection halts").build();
    }

    /** Whether the soak is watched: health alarms or health checks are given. */
    private boolean watched() {
        return !alarmNames.isEmpty() || alarmPrefix != null || !healthChecks.isEmpty();
    }

    /**
     * One health watch during the soak: the alarms (when given), then each health check; the first that does not
     * hold is the verdict, with the alarms' states as data.
     */
    private GateVerdict watch(RolloutResult soFar) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (!alarmNames.isEmpty() || alarmPrefix != null) {
            GateVerdict alarms = PatchHealth.alarms(aws, alarmNames, alarmPrefix, allowInsufficientData);
            data.putAll(alarms.data());
            if (!alarms.held()) {
                return GateVerdict.fail(alarms.detail(), data);
            }
        }
        for (var h : healthChecks) {
            boolean ok;
            try {
                ok = h.getValue().test(soFar);
            } catch (RuntimeException e) {
                return GateVerdict.fail("the health check \"" + h.getKey() + "\" could not be evaluated: " + e, data);
            }
            if (!ok) {
                return GateVerdict.fail("the health check \"" + h.getKey() + "\" does not hold", data);
            }
        }
        return GateVerdict.pass("healthy" + (data.isEmpty() ? "" : ": " + data.get("alarms")), data);
    }

    /** The comparison from the rollout's result so far: every input is a journaled step output. */
    PatchComparison compare(RolloutResult r, boolean dry) {
        return compare(r, dry, acceptPendingReboot, approveUntil != null && pin != null && pin.overridesList(),
                acceptUncovered);
    }

    static PatchComparison compare(RolloutResult r, boolean dry, boolean acceptPendingReboot) {
        return compare(r, dry, acceptPendingReboot, false, false);
    }

    static PatchComparison compare(RolloutResult r, boolean dry, boolean acceptPendingReboot, boolean allowHeldBack,
            boolean acceptUncovered) {
        Map<String, PatchComparison.Tested> tested = new LinkedHashMap<>();
        for (TargetResult t : wave(r, NON_PRODUCTION).map(WaveResult::targets).orElse(List.of())) {
            if (t.status() != TargetStatus.SUCCEEDED || t.run() == null) {
                continue;
            }
            Optional<PatchCompliance> before = t.run().output(BEFORE).or(() -> t.run().output(REPORTED));
            Optional<PatchCompliance> after = t.run().output(AFTER).or(() -> dry ? before.map(PatchRollout::predictedAfter)
                    : Optional.empty());
            if (before.isPresent() && after.isPresent()) {
                tested.put(t.target(), new PatchComparison.Tested(os(t), before.get(),
                        acceptPendingReboot ? pendingAsInstalled(after.get()) : after.get()));
            }
        }
        Map<String, PatchComparison.Candidate> candidates = new LinkedHashMap<>();
        for (TargetResult t : wave(r, PRODUCTION_SCAN).map(WaveResult::targets).orElse(List.of())) {
            if (t.status() != TargetStatus.SUCCEEDED || t.run() == null) {
                continue;
            }
            t.run().output(BEFORE).or(() -> t.run().output(REPORTED)).ifPresent(c ->
                    candidates.put(t.target(), new PatchComparison.Candidate(os(t), c)));
        }
        return PatchComparison.of(tested, candidates, allowHeldBack, acceptUncovered);
    }

    /** With {@code acceptPendingReboot()}: a patch pending reboot counts as installed. */
    static PatchCompliance pendingAsInstalled(PatchCompliance c) {
        List<PatchInfo> ps = c.patches().stream().map(p -> p.state() == PatchState.INSTALLED_PENDING_REBOOT
                ? new PatchInfo(p.id(), p.title(), p.classification(), p.severity(), PatchState.INSTALLED) : p).toList();
        return new PatchCompliance(c.instanceId(), c.reported(), c.patchGroup(), c.baselineId(), c.snapshotId(),
                c.operation(), c.operationEnd(), c.counts(), ps);
    }

    private static String os(TargetResult t) {
        return t.runResult().flatMap(r -> r.output(OS)).map(InstanceOs::label).orElse("");
    }

    /** What a dry run expects after the Install: every missing patch installed. */
    static PatchCompliance predictedAfter(PatchCompliance before) {
        List<PatchInfo> after = before.patches().stream().map(p -> p.state() == PatchState.MISSING
                ? new PatchInfo(p.id(), p.title(), p.classification(), p.severity(), PatchState.INSTALLED) : p).toList();
        return new PatchCompliance(before.instanceId(), before.reported(), before.patchGroup(), before.baselineId(),
                before.snapshotId(), "Install (predicted)", null, before.counts(), after);
    }

    private PatchRolloutResult result(RolloutResult r, boolean dry) {
        boolean scanned = wave(r, PRODUCTION_SCAN).map(w -> !w.targets().isEmpty()).orElse(false);
        PatchComparison comparison = scanned ? compare(r, dry) : null;
        String reason = r.reason();
        boolean productionStarted = wave(r, PRODUCTION).map(w -> w.total() > 0).orElse(false);
        if (comparison != null && !comparison.matches() && (dry || !productionStarted)) {
            reason = (dry ? "a live run would halt before production: " : "halted before production changed: ")
                    + comparison.problem();
        }
        List<InstanceReport> reports = new ArrayList<>();
        for (WaveResult w : r.waves()) {
            w.targets().forEach(t -> reports.add(report(w.name(), t, dry)));
        }
        List<String> warnings = new ArrayList<>(warnings());
        if (comparison != null && acceptUncovered && !comparison.uncovered().isEmpty()) {
            comparison.uncovered().forEach((os, ids) -> warnings.add("production instance(s) " + ids + " on OS \"" + os
                    + "\"" + (dry ? " would be " : " were ") + "left unpatched: no non-production instance covered that OS"));
        }
        if (comparison != null && !comparison.heldBack().isEmpty()) {
            comparison.heldBack().forEach((os, ps) -> warnings.add("held back by the cut-off " + approveUntil + " on " + os
                    + " (not verified, not installed in production): " + ps.stream().map(p -> p.title().isEmpty() ? p.id()
                    : p.title()).toList()));
        }
        return new PatchRolloutResult(name, dry, r.status(), reason, r, comparison, reports, List.copyOf(warnings));
    }

    /** What a person should know about this rollout's settings: shown in dry runs, results and reports. */
    public List<String> warnings() {
        List<String> w = new ArrayList<>();
        if (unpinned) {
            w.add(UNPINNED_WARNING);
        }
        if (acceptUncovered) {
            w.add(UNCOVERED_WARNING);
        }
        return List.copyOf(w);
    }

    // ---- the per-instance plans ----

    private Plan.Builder planBuilder(AwsContext aws, String plan, String description) {
        return Plan.builder(plan).describedAs(description)
                .input(Input.required(INSTANCE_ID).matching(Checks.INSTANCE_ID.pattern())
                        .describedAs("the instance to patch"))
                .step(osStep(aws))
                .step(PatchSteps.using(aws).readCompliance("readCompliance", INSTANCE_ID, REPORTED));
    }

    /** The context production is scanned and patched in: its own when given, else the rollout's. */
    private AwsContext productionAws() {
        return productionAws != null ? productionAws : aws;
    }

    /** READ_ONLY: the instance's OS from DescribeInstanceInformation (PlatformType, PlatformName, PlatformVersion). */
    private static Step.Builder<InstanceOs> osStep(AwsContext aws) {
        return Step.readOnly("os").output(OS).reads(INSTANCE_ID).retry(dev.stepwise.aws.AwsRetry.throttling())
                .describedAs("read the instance's OS (PlatformName and PlatformVersion) from SSM")
                .action(ctx -> {
                    String id = ctx.get(INSTANCE_ID);
                    InstanceInformation info = SsmSteps.using(aws).managed(List.of(id)).get(id);
                    if (info == null) {
                        throw new PatchTargetException(id + " is not managed by SSM with an online agent: its OS cannot "
                                + "be read, so its patches cannot be compared");
                    }
                    return new InstanceOs(info.platformTypeAsString(), info.platformName(), info.platformVersion());
                });
    }

    private Function<StepContext, String> snapshot() {
        return ctx -> pin == null ? null : pin.snapshot().orElse(null);
    }

    private Plan nonProductionPlan() {
        Plan.Builder b = planBuilder(aws, "patch-" + NON_PRODUCTION,
                "scan a non-production instance, back it up, install, rescan and verify");
        b.step(PatchSteps.using(aws).scan("scan", INSTANCE_ID, snapshot(), BEFORE));
        if (approveUntil != null) {
            b.step(PatchCutoff.writeOverride(aws, pin, name, approveUntil, INSTANCE_ID, BEFORE, PatchKeys.BASELINE_OVERRIDE));
        }
        changes(aws, b, false);
        return b.build();
    }

    private Plan rescanPlan() {
        return planBuilder(aws, "rescan-" + NON_PRODUCTION, "scan a non-production instance again after the soak")
                .step(PatchSteps.using(aws).scan("scan", INSTANCE_ID, snapshot(), PatchKeys.SOAKED)).build();
    }

    private Plan scanPlan() {
        return planBuilder(productionAws(), "scan-" + PRODUCTION, "scan a production instance for the comparison")
                .step(PatchSteps.using(productionAws()).scan("scan", INSTANCE_ID, snapshot(), BEFORE)).build();
    }

    private Plan productionPlan() {
        Plan.Builder b = planBuilder(productionAws(), "patch-" + PRODUCTION,
                "back up a production instance, install exactly what non-production verified, rescan and verify");
        b.step(Step.readOnly("recallVerified").output(PINNED).reads(INSTANCE_ID, OS)
                .describedAs("recall the patches non-production verified for this OS from the comparison gate's "
                        + "verdict before this wave")
                .action(this::recallVerified));
        if (pin != null && pin.overridesList()) {
            b.step(Step.readOnly("recallOverrideList").output(PatchKeys.OVERRIDE_LIST).reads(INSTANCE_ID)
                    .describedAs("recall where the verified list was published from the comparison gate's verdict "
                            + "before this wave")
                    .action(ctx -> ctx.dryRun() ? pin.url(name, "<rollout id>") : Objects.toString(
                            gateData(ctx).getOrDefault(LIST_URL, pin.url(name, "<unpublished>")))));
        }
        changes(productionAws(), b, true);
        return b.build();
    }

    private <S extends Plan.Sequence<S>> void changes(AwsContext aws, S seq, boolean production) {
        PatchSteps patch = PatchSteps.using(aws);
        if (databaseBackup != null) {
            seq.step(databaseBackup);
        }
        if (amiBackup && snapshotBackup) {
            seq.step(PatchBackups.createSnapshots(aws, "snapshotBackup", INSTANCE_ID, BACKUP_IMAGE));
        } else if (amiBackup) {
            seq.step(Ec2Steps.using(aws).createImage("amiBackup", INSTANCE_ID, BACKUP_IMAGE, amiNoReboot));
        }
        boolean overrideList = production && pin != null && pin.overridesList();
        Function<StepContext, String> snapshot = snapshot();
        boolean cutOff = !production && approveUntil != null;
        seq.step(patch.install("install", INSTANCE_ID, ctx -> PatchSteps.parameters("Install", reboot, snapshot.apply(ctx),
                overrideList ? ctx.get(PatchKeys.OVERRIDE_LIST) : null, cutOff ? ctx.find(PatchKeys.BASELINE_OVERRIDE)
                        .orElseGet(() -> PatchCutoff.url(pin, name, ctx.rolloutId().orElse("<rollout id>"),
                                ctx.get(INSTANCE_ID))) : null), REPORTED, INSTALL));
        if (reboot == RebootOption.NO_REBOOT && rebootAfterInstall) {
            seq.step(PatchBackups.reboot(aws, "reboot", INSTANCE_ID));
            seq.step(PatchBackups.waitOnline(aws, "waitOnline", INSTANCE_ID));
        }
        seq.step(patch.scan("rescan", INSTANCE_ID, snapshot, AFTER));
        seq.step(Step.readOnly("verify").output(VERIFIED).reads(INSTANCE_ID, REPORTED)
                .describedAs("check the rescan: no failed patch, no approved patch still missing"
                        + (reboot == RebootOption.REBOOT_IF_NEEDED ? ", no pending reboot" : "")
                        + (production ? ", nothing installed that non-production did not verify" : "")
                        + (overrideList ? " (missing patches outside the override list are allowed)" : "")
                        + (cutOff ? " (patches still missing are taken as held back by the cut-off " + approveUntil + ")" : ""))
                .action(ctx -> verify(ctx, production, overrideList)));
    }

    /**
     * The verified patches of this instance's OS, from the data of the comparison gate before the production wave,
     * as the engine hands it to the wave's steps ({@link StepContext#waveCheckpoints()}): on a first run as the gate
     * returned it, on a resume as the rollout journal recorded it, and on Temporal as the rollout workflow passed it.
     * No journal store is read here, so workers need not share one.
     */
    private List<PatchInfo> recallVerified(StepContext ctx) {
        if (ctx.dryRun()) {
            return List.of();
        }
        Map<String, Object> data = gateData(ctx);
        String rollout = ctx.rolloutId().orElse("?");
        if (!Boolean.TRUE.equals(data.get("matches"))) {
            throw new PatchVerificationException("the comparison of rollout " + rollout + " did not pass: "
                    + data.get("problem"));
        }
        String os = ctx.get(OS).label();
        List<PatchInfo> verified = PatchComparison.verifiedIn(data, os);
        log.info("Recalled {} verified patch(es) for {} on {} from rollout {}", verified.size(), os, ctx.get(INSTANCE_ID),
                rollout);
        return verified;
    }

    /**
     * The data of the comparison gate ({@value #GATE}) that passed before this target's wave; refused when there is
     * none (a production plan run outside its rollout, or a dry run's row, which has no data).
     */
    private static Map<String, Object> gateData(StepContext ctx) {
        return ctx.waveCheckpoints().stream()
                .filter(c -> c.kind() == Checkpoint.Kind.GATE && GATE.equals(c.description())
                        && c.outcome() == CheckpointResult.Outcome.PASSED)
                .reduce((a, b) -> b).map(CheckpointResult::data)
                .orElseThrow(() -> new PatchVerificationException("run " + ctx.runId() + " has no passed verdict of the "
                        + "gate \"" + GATE + "\" before its wave" + ctx.rolloutId().map(id -> " (rollout " + id + ")")
                        .orElse(" (it is not a target's run of a rollout)") + ": production may not install without it"));
    }

    private List<PatchInfo> verify(StepContext ctx, boolean production, boolean overrideList) {
        if (ctx.dryRun()) {
            return List.of();
        }
        PatchCompliance before = ctx.find(BEFORE).orElse(ctx.get(REPORTED));
        PatchCompliance after = ctx.get(AFTER);
        List<String> problems = new ArrayList<>();
        List<PatchInfo> failed = after.patches(PatchState.FAILED);
        if (!failed.isEmpty() || after.counts().failed() > 0) {
            problems.add(Math.max(failed.size(), after.counts().failed()) + " patch(es) FAILED: "
                    + failed.stream().map(PatchInfo::id).toList());
        }
        Set<String> stillMissing = after.ids(PatchState.MISSING);
        stillMissing.retainAll(before.ids(PatchState.MISSING));
        List<PatchInfo> installed = installed(before, after);
        if (production) {
            List<PatchInfo> pinned = ctx.get(PINNED);
            Set<String> verifiedIdentities = pinned.stream().map(PatchComparison::identity).collect(Collectors.toSet());
            List<String> unverified = installed.stream().filter(p -> !verifiedIdentities.contains(PatchComparison.identity(p)))
                    .map(p -> p.title().isEmpty() ? p.id() : p.id() + " (" + p.title() + ")").toList();
            if (!unverified.isEmpty()) {
                problems.add(unverified.size() + " patch(es) installed that non-production did not verify: " + unverified);
            }
            if (overrideList) {
                Set<String> pinnedIds = pinned.stream().map(PatchInfo::id).collect(Collectors.toSet());
                stillMissing.retainAll(pinnedIds);
            }
        }
        if (!production && approveUntil != null && !stillMissing.isEmpty()) {
            // the cut-off holds back patches released after its date; their release dates are not in
            // DescribeInstancePatches (reference §2), so every patch still missing is taken as held back
            log.info("{} patch(es) still missing on {} after an Install cut off at {}: taken as held back, not verified: {}",
                    stillMissing.size(), ctx.get(INSTANCE_ID), approveUntil, stillMissing);
            stillMissing.clear();
        }
        if (!stillMissing.isEmpty()) {
            problems.add(stillMissing.size() + (overrideList && production ? " verified" : " approved")
                    + " patch(es) still MISSING after the Install: " + stillMissing);
        }
        if ((reboot == RebootOption.REBOOT_IF_NEEDED || rebootAfterInstall) && after.pendingReboot()) {
            problems.add(after.counts().installedPendingReboot() + " patch(es) still INSTALLED_PENDING_REBOOT after an "
                    + (rebootAfterInstall ? "Install, a reboot and a rescan: " : "Install with RebootIfNeeded: ")
                    + after.ids(PatchState.INSTALLED_PENDING_REBOOT));
        }
        if (!problems.isEmpty()) {
            throw new PatchVerificationException("the rescan of " + ctx.get(INSTANCE_ID) + " does not show a good install: "
                    + String.join("; ", problems));
        }
        log.info("Verified {} patch(es) installed on {}{}", installed.size(), ctx.get(INSTANCE_ID),
                after.pendingReboot() ? ", " + after.counts().installedPendingReboot()
                        + " pending reboot (NoReboot: reboot and rescan to finish)" : "");
        return installed;
    }

    static List<PatchInfo> installed(PatchCompliance before, PatchCompliance after) {
        Set<String> missing = before.ids(PatchState.MISSING);
        missing.addAll(before.ids(PatchState.FAILED));
        return after.patches().stream().filter(p -> missing.contains(p.id()) && (p.state() == PatchState.INSTALLED
                || p.state() == PatchState.INSTALLED_PENDING_REBOOT)).toList();
    }

    private static InstanceReport report(String wave, TargetResult t, boolean dry) {
        var run = t.runResult();
        Optional<PatchCompliance> reported = run.flatMap(r -> r.output(REPORTED));
        Optional<PatchCompliance> before = run.flatMap(r -> r.output(BEFORE)).or(() -> reported);
        Optional<PatchCompliance> after = run.flatMap(r -> r.output(AFTER));
        List<PatchInfo> installed = before.isPresent() && after.isPresent() ? installed(before.get(), after.get()) : List.of();
        List<PatchInfo> would = dry && !PRODUCTION_SCAN.equals(wave) ? reported.map(PatchCompliance::missing).orElse(List.of())
                : List.of();
        return InstanceReport.builder(wave, t.target()).platform(os(t))
                .status(t.status().name()).before(before.map(PatchCompliance::counts))
                .after(after.map(PatchCompliance::counts)).installed(installed).wouldInstall(would)
                .failedPatches(after.map(a -> a.patches(PatchState.FAILED)).orElse(List.of()))
                .pendingReboot(after.map(PatchCompliance::pendingReboot).orElse(false))
                .backupImage(run.flatMap(r -> r.output(BACKUP_IMAGE)).orElse(""))
                .reason(Objects.toString(t.reason(), "")).build();
    }

    /** The {@code kind} of {@link #parameters()}: what a tool rebuilds on {@code resume ID}. */
    public static final String PARAMETERS_KIND = "patch-rollout";

    /**
     * The settings a command line records in the rollout's journal so that {@code resume ID} needs no other flag
     * ({@link #toRollout()} gives them to the rollout, which journals them when it starts): {@code kind}
     * ({@value #PARAMETERS_KIND}), {@code region} (of the rollout's {@code AwsContext}), {@code name, nonProduction, production} (each {@code {tag: key, values: [...]}} or {@code {ids: [...]}}),
     * {@code soak} (ISO-8601), {@code rebootOption}, {@code amiBackup}, {@code amiBackupWithoutReboot} and {@code pin}
     * ({@code {snapshotId}} or {@code {installOverrideList}}). Plain JSON values, no secret. Not recorded, so to be
     * given again on resume: approvers, notifications, the database backup step, a pin's publisher, wave changes
     * and target sources other than {@link PatchTargets}.
     */
    public Map<String, Object> parameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", PARAMETERS_KIND);
        m.put("region", aws.region().id());
        m.put("name", name);
        m.put("nonProduction", targetParameters(nonProduction));
        m.put("production", targetParameters(production));
        m.put("soak", soak.toString());
        m.put("rebootOption", reboot.toString());
        m.put("amiBackup", amiBackup);
        m.put("amiBackupWithoutReboot", amiNoReboot);
        if (pin != null) {
            if (pin.snapshot().isPresent()) {
                m.put("pin", Map.of("snapshotId", pin.snapshot().get()));
            } else if (pin.bucket().isPresent()) {
                m.put("pin", Map.of("bucket", pin.bucket().get(), "keyPrefix", pin.keyPrefix().orElse("")));
            } else {
                m.put("pin", Map.of("installOverrideList", pin.overrideList().orElseThrow()));
            }
        }
        m.put("unpinnedProduction", unpinned);
        m.put("rebootAfterInstall", rebootAfterInstall);
        m.put("acceptPendingReboot", acceptPendingReboot);
        m.put("snapshotBackup", snapshotBackup);
        m.put("healthAlarms", alarmNames);
        if (alarmPrefix != null) {
            m.put("healthAlarmPrefix", alarmPrefix);
        }
        m.put("allowInsufficientData", allowInsufficientData);
        m.put("healthWatchEvery", healthWatch.toString());
        if (approveUntil != null) {
            m.put("nonProductionApproveUntil", approveUntil.toString());
        }
        m.put("acceptUncoveredProductionOs", acceptUncovered);
        return m;
    }

    private static Map<String, Object> targetParameters(TargetSource s) {
        if (s instanceof PatchTargets pt) {
            return pt.tagKey().<Map<String, Object>>map(k -> Map.of("tag", k, "values", pt.tagValues()))
                    .orElseGet(() -> Map.of("ids", pt.instanceIds().orElseThrow()));
        }
        return Map.of("description", s.description());
    }

    @Override
    public String toString() {
        return "PatchRollout " + name + ": " + NON_PRODUCTION + " (" + nonProduction.description() + "), soak " + soak
                + (soakApprover == null ? "" : " (an approval ends it early)") + ", " + PRODUCTION_SCAN + ", compare, "
                + (productionApproval == null ? "" : "approval, ") + (productionAnnouncement == null ? "" : "announce, ")
                + PRODUCTION + " (" + production.description() + "); RebootOption " + reboot + ", AMI backup "
                + (amiBackup ? "on" : "off") + (databaseBackup == null ? "" : ", database backup " + databaseBackup.name())
                + (pin == null ? "" : ", " + pin) + (unpinned ? "; WARNING: " + UNPINNED_WARNING : "");
    }

    /**
     * Builds a {@link PatchRollout}. A bad value is recorded and reported by {@link #build()} with every other
     * problem (missing targets, wave limits, a snapshot pin that outlives its soak), in one
     * {@link PlanValidationException}; a later valid value for the same setting replaces it. Not thread-safe.
     */
    public static final class Builder {
        private final String name;
        private final AwsContext aws;
        private TargetSource nonProduction;
        private TargetSource production;
        private Duration soak = DEFAULT_SOAK;
        private Approver soakApprover;
        private RebootOption reboot = RebootOption.REBOOT_IF_NEEDED;
        private boolean amiBackup = true;
        private boolean amiNoReboot = true;
        private Step<?> databaseBackup;
        private Pin pin;
        private Consumer<Wave.Builder> nonProductionWave = w -> { };
        private Consumer<Wave.Builder> productionWave = w -> { };
        private Announcement productionAnnouncement;
        private Announcement nonProductionAnnouncement;
        private Approval productionApproval;
        private JournalStore journal;
        private boolean unpinned;
        private boolean rebootAfterInstall;
        private boolean acceptPendingReboot;
        private boolean snapshotBackup;
        private AwsContext productionAws;
        private MaintenanceWindow nonProductionWindow;
        private MaintenanceWindow productionWindow;
        private final List<String> alarmNames = new ArrayList<>();
        private String alarmPrefix;
        private boolean allowInsufficientData;
        private String rolloutId;
        private final List<Map.Entry<String, java.util.function.Predicate<RolloutResult>>> healthChecks = new ArrayList<>();
        private Duration healthWatch = DEFAULT_HEALTH_WATCH;
        private java.time.LocalDate approveUntil;
        private boolean acceptUncovered;
        /** Problems found by the setters, by setting, so that a later good value clears a bad one. */
        private final Map<String, String> problems = new LinkedHashMap<>();

        private Builder(String name, AwsContext aws) {
            this.name = Objects.requireNonNull(name, "name");
            this.aws = Objects.requireNonNull(aws, "aws");
        }

        private boolean record(String setting, InvalidPatchSettingException.Violation problem) {
            problems.remove(setting);
            if (problem != null) {
                problems.put(setting, problem.toString());
            }
            return problem == null;
        }

        /** The non-production instances, e.g. {@code PatchTargets.tagged(aws, "Env", "dev")}. */
        public Builder nonProduction(TargetSource targets) {
            this.nonProduction = Objects.requireNonNull(targets, "nonProduction");
            return this;
        }

        /** The production instances. */
        public Builder production(TargetSource targets) {
            this.production = Objects.requireNonNull(targets, "production");
            return this;
        }

        /** How long non-production soaks before production is scanned; zero or more (checked by {@link #build()}). */
        public Builder soak(Duration duration) {
            if (record("soak", Checks.soak(duration))) {
                this.soak = duration;
            }
            this.soakApprover = null;
            return this;
        }

        /** A soak of at most {@code duration} that {@code approver} can end early by approving (or halt by rejecting). */
        public Builder soak(Duration duration, Approver approver) {
            Objects.requireNonNull(approver, "approver");
            if (record("soak", Checks.soak(duration))) {
                this.soak = duration;
            }
            this.soakApprover = approver;
            return this;
        }

        /** The reboot option of every Install. */
        public Builder rebootOption(RebootOption option) {
            this.reboot = Objects.requireNonNull(option, "rebootOption");
            record("rebootOption", null);
            return this;
        }

        /**
         * The reboot option, spelt as AWS-RunPatchBaseline spells it: {@code RebootIfNeeded} or {@code NoReboot}
         * (checked by {@link #build()}).
         */
        public Builder rebootOption(String option) {
            try {
                return rebootOption(RebootOption.parse(option));
            } catch (InvalidPatchSettingException e) {
                record("rebootOption", e.violations().get(0));
                return this;
            }
        }

        /** Whether to take an AMI of each instance before its Install (default on). */
        public Builder amiBackup(boolean on) {
            this.amiBackup = on;
            return this;
        }

        /**
         * Images without rebooting the instance: crash-consistent, as after a power cut (reference §3
         * {@code CreateImage NoReboot}). The default, because a patch Install with {@code RebootIfNeeded} reboots the
         * instance anyway, and an imaging reboot before it would be a second outage; the database backup step
         * ({@link #databaseBackup}) is what makes the data consistent.
         */
        public Builder amiBackupWithoutReboot() {
            this.amiNoReboot = true;
            return this;
        }

        /** Lets EC2 reboot the instance for a consistent image (one more reboot before the Install's own). */
        public Builder amiBackupWithReboot() {
            this.amiNoReboot = false;
            return this;
        }

        /**
         * The user's own database-level backup, run on each instance before the AMI backup; it reads
         * {@link PatchKeys#INSTANCE_ID}. A failure fails the instance before anything is installed.
         */
        public Builder databaseBackup(Step<?> step) {
            this.databaseBackup = Objects.requireNonNull(step, "databaseBackup");
            return this;
        }

        /** See {@link #databaseBackup(Step)}. */
        public Builder databaseBackup(Step.Builder<?> step) {
            return databaseBackup(Objects.requireNonNull(step, "databaseBackup").build());
        }

        /**
         * Production lives in another account or region: it is scanned, backed up, patched and verified through
         * {@code production} (for example an {@link AwsContext} with an assumed role), and its targets should be
         * {@link PatchTargets} of that context. The comparison works across them: it is per OS, and patch ids and
         * versions do not depend on the account. With {@link Pin#s3}, the list is written through the rollout's own
         * context; the bucket policy must let production's instance roles read it.
         */
        public Builder productionContext(AwsContext production) {
            this.productionAws = Objects.requireNonNull(production, "productionContext");
            return this;
        }

        /**
         * Non-production's installs start only inside {@code window} (Stepwise's own window checkpoint, on the
         * rollout's clock; SSM maintenance windows are not needed): when it is closed, the rollout waits for it, and a
         * parking runner parks until it opens. The window gates the wave's start; instances that start later in the
         * wave are not held back if it closes meanwhile, so size it to the wave.
         */
        public Builder nonProductionWindow(MaintenanceWindow window) {
            this.nonProductionWindow = Objects.requireNonNull(window, "nonProductionWindow");
            return this;
        }

        /** Production's installs start only inside {@code window}; see {@link #nonProductionWindow}. */
        public Builder productionWindow(MaintenanceWindow window) {
            this.productionWindow = Objects.requireNonNull(window, "productionWindow");
            return this;
        }

        /**
         * With {@code NoReboot}: after each Install, reboot the instance ({@code RebootInstances}), wait until SSM
         * reports its agent {@code Online}, then rescan, so patches pending reboot become installed and verifiable
         * (reference §1 {@code RebootOption}: NoReboot leaves them {@code InstalledPendingReboot} until a reboot plus a
         * Scan). The reboot happens when Stepwise says, after the backup, not at the Install's whim.
         */
        public Builder rebootAfterInstall() {
            this.rebootAfterInstall = true;
            return this;
        }

        /**
         * With {@code NoReboot}: count a patch {@code INSTALLED_PENDING_REBOOT} after the Install as verified — the
         * instance has not run it yet, so non-production's soak did not test it running. For teams that reboot on their
         * own schedule.
         */
        public Builder acceptPendingReboot() {
            this.acceptPendingReboot = true;
            return this;
        }

        /**
         * Back up with crash-consistent snapshots of every attached EBS volume at one point in time
         * ({@code CreateSnapshots}, tagged in the creating call) instead of an AMI. No reboot either way; the AMI (the
         * default) restores a whole instance in one launch, the snapshots restore volumes.
         */
        public Builder snapshotBackup() {
            this.snapshotBackup = true;
            return this;
        }

        /**
         * CloudWatch metric alarms that must not be in {@code ALARM} during the soak (watched every
         * {@link #healthWatchEvery}, default 1 hour) nor after it, before production is scanned; checked to exist before the rollout changes anything (a missing one is an
         * {@link InvalidPatchSettingException}). {@code INSUFFICIENT_DATA} halts too unless
         * {@link #allowInsufficientData()}: AWS starts new alarms in that state (reference §3).
         */
        public Builder healthAlarms(String... names) {
            return healthAlarms(List.of(names));
        }

        /** See {@link #healthAlarms(String...)}. */
        public Builder healthAlarms(List<String> names) {
            for (String n : names) {
                if (n == null || n.isBlank()) {
                    problems.put("healthAlarms", new InvalidPatchSettingException.Violation("healthAlarms",
                            String.valueOf(n), "must be an alarm name, not blank").toString());
                    return this;
                }
            }
            problems.remove("healthAlarms");
            alarmNames.clear();
            alarmNames.addAll(names);
            return this;
        }

        /** Every metric alarm whose name starts with {@code prefix}, as {@link #healthAlarms(String...)}; none found halts. */
        public Builder healthAlarmPrefix(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            if (prefix.isBlank()) {
                problems.put("healthAlarmPrefix", new InvalidPatchSettingException.Violation("healthAlarmPrefix", prefix,
                        "must not be blank: it would match every alarm").toString());
                return this;
            }
            problems.remove("healthAlarmPrefix");
            this.alarmPrefix = prefix;
            return this;
        }

        /**
         * The id the rollout takes when it starts, instead of a new one (see {@link Rollout.Builder#id}): a monthly
         * job can start {@code "patching-2026-12"} once and resume it by the same id every day. Checked when the
         * rollout is made ({@link PatchRollout#toRollout()}).
         */
        public Builder rolloutId(String id) {
            this.rolloutId = Objects.requireNonNull(id, "rolloutId");
            return this;
        }

        /**
         * How often the health alarms and health checks are watched during the soak (default
         * 1 hour; a soak shorter than this is watched once, at its end). Each watch is
         * journaled; the first in {@code ALARM} (or failing) halts the rollout before production is scanned, naming the
         * alarm and when. A parking runner parks until the next watch time, so a job that resumes the rollout at
         * least that often keeps every watch; one resumed less often watches at each resume (the soak still ends on
         * time). With {@link #soak(Duration, Approver)} the soak is an approval wait and is not watched while it lasts:
         * the alarms and checks are then evaluated after it only.
         */
        public Builder healthWatchEvery(Duration every) {
            Objects.requireNonNull(every, "healthWatchEvery");
            if (every.isZero() || every.isNegative()) {
                problems.put("healthWatchEvery", new InvalidPatchSettingException.Violation("healthWatchEvery",
                        every.toString(), "must be more than zero: it is how often the soak is watched").toString());
                return this;
            }
            problems.remove("healthWatchEvery");
            this.healthWatch = every;
            return this;
        }

        /**
         * A cut-off for long soaks: non-production installs only patches released up to {@code date} (UTC), so a patch
         * released while non-production soaks is neither installed there nor, therefore, verified for production.
         * Built only from what AWS documents (reference aws-patching-and-drivers.md §1): after its scan, each
         * non-production instance's baseline (its reported {@code BaselineId}, read with {@code GetPatchBaseline}) is
         * written to the {@link Pin#s3} bucket as a {@code BaselineOverride} — a JSON array shaped like
         * {@code GetPatchBaseline}'s output whose entry for the node's OS replaces its baseline — with every approval
         * rule set to {@code ApproveUntilDate = date}, and that instance's Install is given it. Production's Install is
         * not: it is pinned to the verified list. A patch non-production still misses after its Install is taken as
         * held back by the date: it is not verified, production does not install it, and it is listed as held back in
         * the comparison rather than halting it.
         *
         * <p>What the documented tools cannot do, refused rather than guessed: {@code ApproveUntilDate} does not work on
         * Debian or Ubuntu, so a non-production instance whose {@code PlatformName} names either (read with
         * DescribeInstanceInformation before any change) or whose baseline's {@code OperatingSystem} is
         * {@code UBUNTU}/{@code DEBIAN} (checked before its Install) is refused with an
         * {@link InvalidPatchSettingException}; an Install carrying both an {@code InstallOverrideList} and a
         * {@code BaselineOverride} fails in AWS, so {@link PatchSteps#parameters(String, RebootOption, String, String,
         * String)} refuses that combination; a {@code SnapshotId} outranks the override, so a snapshot pin is refused
         * with it. Needs {@code pin(Pin.s3(bucket, keyPrefix))}: the reference documents the override as an S3 object.
         * How explicitly approved patches ({@code ApprovedPatches}, kept as they are) combine with the date is not
         * documented in the reference.
         */
        public Builder nonProductionApproveUntil(java.time.LocalDate date) {
            this.approveUntil = Objects.requireNonNull(date, "nonProductionApproveUntil");
            return this;
        }

        /**
         * Lets the rollout go on when a production OS ({@code PlatformName} and version) was not covered by any
         * non-production instance: instead of halting, the production instances on such an OS are left out of the
         * production wave — nothing was verified for them, so nothing is installed on them — and named. Shown as a
         * warning in dry runs, results and reports.
         */
        public Builder acceptUncoveredProductionOs() {
            this.acceptUncovered = true;
            return this;
        }

        /** Lets an alarm in {@code INSUFFICIENT_DATA} pass the health check (default: it halts). */
        public Builder allowInsufficientData() {
            this.allowInsufficientData = true;
            return this;
        }

        /**
         * A check of the user's own during the soak (watched with the alarms, every {@link #healthWatchEvery}) and after
         * it, before production is scanned: the rollout halts unless {@code healthy} holds for the result so far. Each
         * verdict is journaled, so a resume does not ask a past one again.
         */
        public Builder healthCheck(String description, java.util.function.Predicate<RolloutResult> healthy) {
            healthChecks.add(Map.entry(Objects.requireNonNull(description, "description"),
                    Objects.requireNonNull(healthy, "healthy")));
            return this;
        }

        /**
         * The explicit opt-out of pinning: production's Install takes whatever its baseline approves when it runs. The
         * post-install check still fails an instance that installed a patch non-production did not verify, but only
         * after it was installed. Shown as a warning in dry runs, results and reports.
         */
        public Builder unpinnedProduction() {
            this.unpinned = true;
            return this;
        }

        /** Pins production to exactly what non-production verified; {@link Pin#s3} is the trusted default. */
        public Builder pin(Pin pin) {
            this.pin = Objects.requireNonNull(pin, "pin");
            return this;
        }

        /** Changes the non-production wave's limits, e.g. {@code w -> w.maxConcurrency(5).maxErrors(1)}. */
        public Builder nonProductionWave(Consumer<Wave.Builder> change) {
            this.nonProductionWave = Objects.requireNonNull(change, "nonProductionWave");
            return this;
        }

        /** Changes the production wave's limits, e.g. {@code w -> w.maxConcurrency("5%").strict()}. */
        public Builder productionWave(Consumer<Wave.Builder> change) {
            this.productionWave = Objects.requireNonNull(change, "productionWave");
            return this;
        }

        /**
         * Asks for {@code approval} before production changes, once the comparison passed (so nobody approves a change
         * that will not happen) and before the production announcement. Journaled: a decided approval is not asked
         * again on resume, and a pending one can be answered from another process ({@code Rollouts.approve}).
         */
        public Builder approveProduction(Approval approval) {
            this.productionApproval = Objects.requireNonNull(approval, "approval");
            record("approveProduction", null);
            return this;
        }

        /**
         * Asks {@code approver} before production changes, with settings made in place:
         * {@code approveProduction(cab, a -> a.timeout(Duration.ofDays(2)))}; its problems are reported by
         * {@link #build()} with every other.
         */
        public Builder approveProduction(Approver approver, Consumer<Approval.Builder> approval) {
            Approval.Builder b = Approval.by(Objects.requireNonNull(approver, "approver"));
            Objects.requireNonNull(approval, "approval").accept(b);
            try {
                return approveProduction(b.build());
            } catch (PlanValidationException e) {
                problems.put("approveProduction", "approveProduction: " + String.join("; ", e.problems()));
                return this;
            }
        }

        /**
         * Where the rollout's journal is kept (the runner's journal store is used when this is not set, and a
         * temporary directory when neither is). Give the same store to resume it from another process.
         */
        public Builder journal(JournalStore store) {
            this.journal = Objects.requireNonNull(store, "journal");
            return this;
        }

        /**
         * Tells the people non-production affects before it changes: the instances, the patches each misses as last
         * reported, the window, the reboots and the backups; then waits the lead time.
         */
        public Builder announceNonProduction(Announcement announcement) {
            this.nonProductionAnnouncement = Objects.requireNonNull(announcement, "announcement");
            return this;
        }

        /** See {@link #announceNonProduction(Announcement)}, made in place. */
        public Builder announceNonProduction(Notifications notifications, Consumer<Announcement.Builder> announcement) {
            Announcement.Builder b = Announcement.to(notifications);
            Objects.requireNonNull(announcement, "announcement").accept(b);
            try {
                return announceNonProduction(b.build());
            } catch (PlanValidationException e) {
                problems.put("announceNonProduction", "announceNonProduction: " + String.join("; ", e.problems()));
                return this;
            }
        }

        /**
         * Tells the people production affects before it changes: after the comparison passed (and the production
         * approval, if any), the rollout sends a notice naming the instances (id and {@code Name} tag), the verified
         * patches per OS (id, version, severity), the window, the expected reboots and the backups; then it waits the
         * lead time on the rollout's clock and patches production. The notice is sent from a journaled gate, so a
         * resume never sends it twice; a {@code required()} announcement that cannot be sent halts the rollout before
         * production changes.
         */
        public Builder announceProduction(Announcement announcement) {
            this.productionAnnouncement = Objects.requireNonNull(announcement, "announcement");
            record("announceProduction", null);
            return this;
        }

        /**
         * Builds the production announcement (see {@link #announceProduction(Announcement)}); its problems are
         * reported by {@link #build()} with every other.
         */
        public Builder announceProduction(Announcement.Builder announcement) {
            Objects.requireNonNull(announcement, "announcement");
            try {
                return announceProduction(announcement.build());
            } catch (PlanValidationException e) {
                problems.put("announceProduction", "announceProduction: " + String.join("; ", e.problems()));
                return this;
            }
        }

        /**
         * Announces production through {@code notifications}, with settings made in place:
         * {@code announceProduction(ops, a -> a.leadTime(Duration.ofHours(24)).required())}.
         */
        public Builder announceProduction(Notifications notifications, Consumer<Announcement.Builder> announcement) {
            Announcement.Builder b = Announcement.to(notifications);
            Objects.requireNonNull(announcement, "announcement").accept(b);
            return announceProduction(b);
        }

        /**
         * The rollout; makes no call to AWS.
         *
         * @throws PlanValidationException listing every problem: a malformed name, a negative soak, an unknown
         *                                 reboot option, missing non-production or production targets, a wave
         *                                 change that leaves a wave invalid, a snapshot pin that outlives the
         *                                 soak's limit of 3 days
         */
        public PatchRollout build() {
            List<String> all = new ArrayList<>();
            if (!NAME.matcher(name).matches()) {
                all.add("name \"" + name + "\" does not match " + NAME.pattern() + " (a letter or digit, then letters, "
                        + "digits, '_', '.' or '-', at most 128 characters)");
            }
            all.addAll(problems.values());
            if (nonProduction == null) {
                all.add("nonProduction targets are not set: call nonProduction(...)");
            } else {
                checkWave("nonProductionWave", wave(NON_PRODUCTION, nonProductionWave).targets(nonProduction), all);
            }
            if (production == null) {
                all.add("production targets are not set: call production(...)");
            } else {
                checkWave("productionWave", wave(PRODUCTION, productionWave).targets(production), all);
            }
            if (reboot == RebootOption.NO_REBOOT && !rebootAfterInstall && !acceptPendingReboot) {
                all.add("rebootOption NoReboot leaves installed patches INSTALLED_PENDING_REBOOT until a reboot and a "
                        + "scan, so nothing would ever verify: add rebootAfterInstall() or acceptPendingReboot()");
            }
            if (rebootAfterInstall && reboot != RebootOption.NO_REBOOT) {
                all.add("rebootAfterInstall() applies to rebootOption NoReboot; RebootIfNeeded already reboots");
            }
            if ((pin == null || !pin.pinsProduction()) && !unpinned) {
                all.add("production is not pinned to what non-production verified"
                        + (pin == null ? "" : " (" + pin + " does not carry non-production's set to production)")
                        + ": give pin(Pin.s3(bucket, keyPrefix)) or pin(Pin.installOverrideList(url).publishedBy(writer)), "
                        + "or opt out explicitly with unpinnedProduction()");
            }
            boolean watched = !alarmNames.isEmpty() || alarmPrefix != null || !healthChecks.isEmpty();
            if (watched && soakApprover == null && !soak.isZero() && healthWatch.compareTo(soak) < 0
                    && soak.dividedBy(healthWatch) >= Checkpoint.WatchedSoak.MAX_WATCHES) {
                all.add(new InvalidPatchSettingException.Violation("healthWatchEvery", healthWatch.toString(),
                        "makes " + soak.dividedBy(healthWatch) + " watches over the soak of " + soak + "; at most "
                                + Checkpoint.WatchedSoak.MAX_WATCHES + ": watch less often").toString());
            }
            if (approveUntil != null && (pin == null || pin.bucket().isEmpty())) {
                all.add(new InvalidPatchSettingException.Violation("nonProductionApproveUntil", approveUntil.toString(),
                        "needs pin(Pin.s3(bucket, keyPrefix)): the cut-off is a BaselineOverride, which the reference "
                                + "documents as an S3 JSON array (§1)"
                                + (pin != null && pin.snapshot().isPresent() ? ", and a SnapshotId outranks it" : ""))
                        .toString());
            }
            if (pin != null && pin.snapshot().isPresent() && productionAws != null) {
                // reference §1 SnapshotId: a snapshot is scoped to account + patch group + OS + ID
                all.add(new InvalidPatchSettingException.Violation("SnapshotId with productionContext",
                        pin.snapshot().get(), "is scoped to one account, patch group and OS (reference §1): production "
                                + "through an AwsContext of its own cannot share non-production's snapshot; use "
                                + "Pin.s3(bucket, keyPrefix)").toString());
            }
            if (pin != null && pin.snapshot().isPresent() && soak.compareTo(SNAPSHOT_VALIDITY) > 0) {
                all.add(new InvalidPatchSettingException.Violation("soak with a SnapshotId pin", soak.toString(),
                        "is longer than the 3 days a patch snapshot can be regenerated for: use a soak of at most 3 days "
                                + "or Pin.installOverrideList").toString());
            }
            if (!all.isEmpty()) {
                throw new PlanValidationException("PatchRollout \"" + name + "\"", all);
            }
            return new PatchRollout(this);
        }

        /**
         * A builder with the settings {@link PatchRollout#parameters()} recorded, for {@code resume ID} in a new
         * process; what parameters do not hold (approvers, notifications, the database backup step, a pin's
         * publisher, wave changes) is added to the returned builder as it was the first time.
         *
         * @throws InvalidPatchSettingException naming the parameter, its value and the rule, for parameters that are
         *                                      missing or not of the recorded shape
         */
        public static Builder fromParameters(Map<String, Object> parameters, AwsContext aws) {
            Objects.requireNonNull(parameters, "parameters");
            Object name = parameters.get("name");
            if (!(name instanceof String n)) {
                throw new InvalidPatchSettingException("parameters.name", String.valueOf(name), "must be the rollout's name");
            }
            Builder b = new Builder(n, aws);
            b.nonProduction(targets(parameters, "nonProduction", aws));
            b.production(targets(parameters, "production", aws));
            if (parameters.get("soak") instanceof String soak) {
                try {
                    b.soak(Duration.parse(soak));
                } catch (java.time.format.DateTimeParseException e) {
                    throw new InvalidPatchSettingException("parameters.soak", soak, "is not an ISO-8601 duration");
                }
            }
            if (parameters.get("rebootOption") instanceof String option) {
                b.rebootOption(RebootOption.parse(option));
            }
            if (parameters.get("amiBackup") instanceof Boolean on) {
                b.amiBackup(on);
            }
            if (parameters.get("healthAlarms") instanceof List<?> names && !names.isEmpty()) {
                b.healthAlarms(names.stream().map(String::valueOf).toList());
            }
            if (parameters.get("healthAlarmPrefix") instanceof String prefix) {
                b.healthAlarmPrefix(prefix);
            }
            if (Boolean.TRUE.equals(parameters.get("allowInsufficientData"))) {
                b.allowInsufficientData();
            }
            if (parameters.get("healthWatchEvery") instanceof String every) {
                try {
                    b.healthWatchEvery(Duration.parse(every));
                } catch (java.time.format.DateTimeParseException e) {
                    throw new InvalidPatchSettingException("parameters.healthWatchEvery", every, "is not an ISO-8601 duration");
                }
            }
            if (parameters.get("nonProductionApproveUntil") instanceof String date) {
                try {
                    b.nonProductionApproveUntil(java.time.LocalDate.parse(date));
                } catch (java.time.format.DateTimeParseException e) {
                    throw new InvalidPatchSettingException("parameters.nonProductionApproveUntil", date,
                            "is not a YYYY-MM-DD date");
                }
            }
            if (Boolean.TRUE.equals(parameters.get("acceptUncoveredProductionOs"))) {
                b.acceptUncoveredProductionOs();
            }
            if (Boolean.TRUE.equals(parameters.get("rebootAfterInstall"))) {
                b.rebootAfterInstall();
            }
            if (Boolean.TRUE.equals(parameters.get("acceptPendingReboot"))) {
                b.acceptPendingReboot();
            }
            if (Boolean.TRUE.equals(parameters.get("snapshotBackup"))) {
                b.snapshotBackup();
            }
            if (Boolean.TRUE.equals(parameters.get("unpinnedProduction"))) {
                b.unpinnedProduction();
            }
            if (Boolean.FALSE.equals(parameters.get("amiBackupWithoutReboot"))) {
                b.amiBackupWithReboot();
            }
            if (parameters.get("pin") instanceof Map<?, ?> pin) {
                if (pin.get("snapshotId") instanceof String s) {
                    b.pin(Pin.snapshotId(s));
                } else if (pin.get("bucket") instanceof String bucket) {
                    b.pin(Pin.s3(bucket, Objects.toString(pin.get("keyPrefix"), "")));
                } else if (pin.get("installOverrideList") instanceof String url) {
                    b.pin(Pin.installOverrideList(url));
                }
            }
            return b;
        }

        private static TargetSource targets(Map<String, Object> parameters, String key, AwsContext aws) {
            Object v = parameters.get(key);
            if (v instanceof Map<?, ?> m) {
                if (m.get("tag") instanceof String tag && m.get("values") instanceof List<?> values) {
                    return PatchTargets.tagged(aws, tag, values.stream().map(String::valueOf).toList());
                }
                if (m.get("ids") instanceof List<?> ids) {
                    return PatchTargets.ids(aws, ids.stream().map(String::valueOf).toList());
                }
            }
            throw new InvalidPatchSettingException("parameters." + key, String.valueOf(v), "must be {tag: key, values: "
                    + "[...]} or {ids: [...]}: targets other than PatchTargets are not recorded, give them again");
        }

        /** Builds a wave as {@link #run(Runner)} will, to report its problems now rather than at run time. */
        private static void checkWave(String setting, Wave.Builder wave, List<String> all) {
            try {
                wave.build();
            } catch (PlanValidationException e) {
                e.problems().forEach(p -> all.add(setting + ": " + p));
            }
        }
    }
}
