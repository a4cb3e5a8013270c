package dev.stepwise.aws.patch;

import static dev.stepwise.aws.patch.PatchKeys.AFTER;
import static dev.stepwise.aws.patch.PatchKeys.BACKUP_IMAGE;
import static dev.stepwise.aws.patch.PatchKeys.BEFORE;
import static dev.stepwise.aws.patch.PatchKeys.INSTALL;
import static dev.stepwise.aws.patch.PatchKeys.INSTANCE_ID;
import static dev.stepwise.aws.patch.PatchKeys.REPORTED;
import static dev.stepwise.aws.patch.PatchKeys.STAGE;
import static dev.stepwise.aws.patch.PatchKeys.VERIFIED;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.ec2.Ec2Steps;
import dev.stepwise.core.PlanValidationException;
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
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.TargetResult;
import dev.stepwise.core.rollout.TargetSource;
import dev.stepwise.core.rollout.TargetStatus;
import dev.stepwise.core.rollout.Wave;
import dev.stepwise.core.rollout.WaveResult;
import dev.stepwise.core.run.Runner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A staged Patch Manager rollout: non-production first, a soak, then production only if production's patches match
 * what non-production installed and verified.
 *
 * <p>What runs, in order:
 * <ol>
 *   <li>Wave {@value #NON_PRODUCTION}, per instance: read the last report (READ_ONLY) → Scan → the database backup
 *       step, when given → an AMI backup ({@link Ec2Steps#createImage}: tagged with the run, never made twice) →
 *       Install → rescan → verify (no failed patch, no approved patch still missing, and with
 *       {@code RebootIfNeeded} no pending reboot).</li>
 *   <li>Soak, on the rollout's clock (default 7 days); with {@link Builder#soak(Duration, Approver)} an approval
 *       ends it early (a rejection halts).</li>
 *   <li>Wave {@value #PRODUCTION_SCAN}, per instance: read the last report → Scan.</li>
 *   <li>The comparison ({@link PatchComparison}), a gate: any difference halts before production changes, with
 *       the per-patch diff in the result.</li>
 *   <li>Wave {@value #PRODUCTION}, on exactly the instances scanned: read the report → database backup → AMI
 *       backup → Install (pinned, see {@link Pin}) → rescan → verify.</li>
 * </ol>
 * The first three run as one core {@link Rollout}, the comparison and the production wave as a second, so the
 * production targets are the ones compared. Rate control is the waves' concurrency, ramp and error budget; each
 * instance gets its own AWS-RunPatchBaseline command.
 *
 * <p>Defaults: soak 7 days; {@code RebootIfNeeded}; AMI backups on, taken with a reboot for a consistent image;
 * no database backup step; no pin; non-production at most 50% of its instances at once, production-scan 10 at
 * once, production at most 10% at once with a ramp (1, 2, 4, …, the first a canary); every wave halts at its
 * first failure (maxErrors 0). A dry run reads the last reported compliance (READ_ONLY) and predicts every
 * SendCommand and CreateImage; it sends no command. Immutable and thread-safe; one rollout may be run many
 * times.
 *
 * <pre>{@code
 * PatchRolloutResult r = PatchRollout.builder("monthly-patching", aws).
 *     nonProduction(PatchTargets.tagged(aws, "Env", "dev", "test")).
 *     production(PatchTargets.tagged(aws, "Env", "prod")).
 *     soak(Duration.ofDays(7)).
 *     databaseBackup(Step.mutating("dbBackup").reads(PatchKeys.INSTANCE_ID).run(ctx -> backup(ctx.get(PatchKeys.INSTANCE_ID)))).
 *     build().
 *     run(Runner.create());
 * System.out.println(r);
 * }</pre>
 */
public final class PatchRollout {
    private static final Logger log = LoggerFactory.getLogger(PatchRollout.class);

    /** The first wave's name. */
    public static final String NON_PRODUCTION = "non-production";
    /** The wave that scans production before the comparison. */
    public static final String PRODUCTION_SCAN = "production-scan";
    /** The last wave's name. */
    public static final String PRODUCTION = "production";
    /** The default soak: 7 days. */
    public static final Duration DEFAULT_SOAK = Duration.ofDays(7);
    /** How long a patch snapshot can be regenerated for (GetDeployablePatchSnapshotForInstance). */
    public static final Duration SNAPSHOT_VALIDITY = Duration.ofDays(3);
    static final String GATE = "production's patches match what non-production installed and verified";
    /** The naming rule of waves and rollouts, 11 characters shorter: the production rollout is "<name>-production". */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,116}");

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
    }

    /** Starts a rollout called {@code name} (letters, digits, '_', '.', '-'; at most 117) acting in {@code aws}. */
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

    /** A dry run: reads the last reports and predicts every command; changes nothing and sends no command. */
    public PatchRolloutResult dryRun(Runner runner) {
        return run(runner.dryRun());
    }

    /** Runs the rollout live (or dry, per the runner) with the runner's clock, listeners and journal. */
    public PatchRolloutResult run(Runner rollouter) {
        Map<String, String> stage = new ConcurrentHashMap<>();
        Map<String, String> platform = new ConcurrentHashMap<>();
        Rollout staged = Rollout.builder(name, plan(true))
                .inputs(t -> Inputs.of(INSTANCE_ID, t, STAGE, stage.getOrDefault(t, "")))
                .wave(wave(NON_PRODUCTION, nonProductionWave).targets(recording(nonProduction, NON_PRODUCTION, stage,
                        platform)))
                .checkpoint(soakCheckpoint())
                .wave(Wave.builder(PRODUCTION_SCAN).maxConcurrency(10).maxErrors(0)
                        .targets(recording(production, PRODUCTION_SCAN, stage, platform)).build())
                .build();
        RolloutResult first = rollouter.run(staged);
        boolean dry = rollouter.isDryRun();
        if (!first.isSuccess() && !dry) {
            return new PatchRolloutResult(name, dry, first.status(), first.reason(), first, null, null,
                    reports(first, null, platform, dry));
        }
        PatchComparison comparison = compare(first, platform, dry);
        List<String> scanned = first.wave(PRODUCTION_SCAN).targets().stream()
                .filter(t -> t.status() == TargetStatus.SUCCEEDED).map(TargetResult::target).toList();
        if (scanned.isEmpty()) {
            return new PatchRolloutResult(name, dry, first.status(), first.reason(), first, comparison, null,
                    reports(first, null, platform, dry));
        }
        if (comparison.matches() && !dry && pin != null) {
            pin.publisher().ifPresent(p -> {
                log.info("Publishing the install override list of {} verified patch(es) to {}",
                        comparison.verified().values().stream().mapToInt(List::size).sum(), pin.overrideList().orElse(""));
                p.accept(comparison.installOverrideListYaml());
            });
        }
        scanned.forEach(t -> stage.put(t, PRODUCTION));
        Rollout.Builder prodBuilder = Rollout.builder(name + "-production", plan(false))
                .inputs(t -> Inputs.of(INSTANCE_ID, t, STAGE, PRODUCTION))
                .gate(GATE, r -> comparison.matches());
        if (productionAnnouncement != null) {
            // announced only once the comparison passed: nobody is told of a change that will not happen
            prodBuilder.announce(productionAnnouncement);
        }
        Rollout prod = prodBuilder
                .wave(wave(PRODUCTION, productionWave).targets(TargetSource.named("the instances scanned in wave "
                        + PRODUCTION_SCAN, TargetSource.of(scanned))))
                .build();
        RolloutResult second = rollouter.run(prod);
        String reason = second.reason();
        if (!comparison.matches()) {
            reason = (dry ? "a live run would halt before production: " : "halted before production changed: ")
                    + comparison.differences().size() + " patch difference(s) between production and non-production";
        }
        return new PatchRolloutResult(name, dry, second.status(), reason, first, comparison, second,
                reports(first, second, platform, dry));
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
        if (soakApprover == null || soak.isZero()) {
            return new Checkpoint.Soak(soak);
        }
        return Approval.by(soakApprover).timeout(soak).onTimeout(Approval.TimeoutRule.APPROVE)
                .describedAs("soak " + soak + " in non-production; an approval ends it early, a rejection halts").build();
    }

    private static TargetSource recording(TargetSource source, String wave, Map<String, String> stage,
            Map<String, String> platform) {
        return TargetSource.named(source.description(), () -> {
            List<String> ids;
            if (source instanceof PatchTargets pt) {
                Map<String, String> found = pt.resolveManaged();
                platform.putAll(found);
                ids = List.copyOf(found.keySet());
            } else {
                ids = source.resolve();
            }
            ids.forEach(id -> stage.putIfAbsent(id, wave));
            return ids;
        });
    }

    private PatchComparison compare(RolloutResult first, Map<String, String> platform, boolean dry) {
        Map<String, PatchComparison.Tested> tested = new LinkedHashMap<>();
        for (TargetResult t : first.wave(NON_PRODUCTION).targets()) {
            if (t.status() != TargetStatus.SUCCEEDED || t.run() == null) {
                continue;
            }
            Optional<PatchCompliance> before = t.run().output(BEFORE).or(() -> t.run().output(REPORTED));
            Optional<PatchCompliance> after = t.run().output(AFTER).or(() -> dry ? before.map(PatchRollout::predictedAfter)
                    : Optional.empty());
            if (before.isPresent() && after.isPresent()) {
                tested.put(t.target(), new PatchComparison.Tested(platform.get(t.target()), before.get(), after.get()));
            }
        }
        Map<String, PatchComparison.Candidate> candidates = new LinkedHashMap<>();
        for (TargetResult t : first.wave(PRODUCTION_SCAN).targets()) {
            if (t.run() == null) {
                continue;
            }
            t.run().output(BEFORE).or(() -> t.run().output(REPORTED)).ifPresent(c ->
                    candidates.put(t.target(), new PatchComparison.Candidate(platform.get(t.target()), c)));
        }
        PatchComparison c = PatchComparison.of(tested, candidates);
        log.info("{}", c);
        return c;
    }

    /** What a dry run expects after the Install: every missing patch installed. */
    static PatchCompliance predictedAfter(PatchCompliance before) {
        List<PatchInfo> after = before.patches().stream().map(p -> p.state() == PatchState.MISSING
                ? new PatchInfo(p.id(), p.title(), p.classification(), p.severity(), PatchState.INSTALLED) : p).toList();
        return new PatchCompliance(before.instanceId(), before.reported(), before.patchGroup(), before.baselineId(),
                before.snapshotId(), "Install (predicted)", null, before.counts(), after);
    }

    // ---- the per-instance plans ----

    private Plan plan(boolean staged) {
        Ec2Steps ec2 = Ec2Steps.using(aws);
        PatchSteps patch = PatchSteps.using(aws);
        Function<StepContext, String> snapshot = ctx -> pin == null ? null : pin.snapshot().orElse(null);
        Plan.Builder b = Plan.builder(staged ? "patch-" + NON_PRODUCTION : "patch-" + PRODUCTION)
                .describedAs(staged ? "scan an instance, and in non-production back it up, install, rescan and verify"
                        : "back up a production instance, install exactly what non-production verified, rescan and verify")
                .input(Input.required(INSTANCE_ID).matching(Checks.INSTANCE_ID.pattern())
                        .describedAs("the instance to patch"))
                .input(Input.required(STAGE).oneOf(staged ? List.of(NON_PRODUCTION, PRODUCTION_SCAN) : List.of(PRODUCTION))
                        .describedAs("the stage the instance is patched in"))
                .step(patch.readCompliance("readCompliance", INSTANCE_ID, REPORTED));
        if (staged) {
            b.step(patch.scan("scan", INSTANCE_ID, snapshot, BEFORE));
            b.when("non-production instance (not only scanned)?", ctx -> NON_PRODUCTION.equals(ctx.get(STAGE)),
                    arm -> changes(arm, patch, ec2, false, snapshot));
        } else {
            changes(b, patch, ec2, true, snapshot);
        }
        return b.build();
    }

    private <S extends Plan.Sequence<S>> void changes(S seq, PatchSteps patch, Ec2Steps ec2, boolean production,
            Function<StepContext, String> snapshot) {
        if (databaseBackup != null) {
            seq.step(databaseBackup);
        }
        if (amiBackup) {
            seq.step(ec2.createImage("amiBackup", INSTANCE_ID, BACKUP_IMAGE, amiNoReboot));
        }
        String overrideList = production && pin != null ? pin.overrideList().orElse(null) : null;
        seq.step(patch.install("install", INSTANCE_ID,
                ctx -> PatchSteps.parameters("Install", reboot, snapshot.apply(ctx), overrideList), REPORTED, INSTALL));
        seq.step(patch.scan("rescan", INSTANCE_ID, snapshot, AFTER));
        seq.step(Step.readOnly("verify").output(VERIFIED).reads(INSTANCE_ID, REPORTED)
                .describedAs("check the rescan: no failed patch, no approved patch still missing"
                        + (reboot == RebootOption.REBOOT_IF_NEEDED ? ", no pending reboot" : "")
                        + (overrideList == null ? "" : " (missing patches outside the override list are allowed)"))
                .action(ctx -> verify(ctx, overrideList != null)));
    }

    private List<PatchInfo> verify(StepContext ctx, boolean overrideList) {
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
        if (!overrideList && !stillMissing.isEmpty()) {
            problems.add(stillMissing.size() + " approved patch(es) still MISSING after the Install: " + stillMissing);
        }
        if (reboot == RebootOption.REBOOT_IF_NEEDED && after.pendingReboot()) {
            problems.add(after.counts().installedPendingReboot() + " patch(es) still INSTALLED_PENDING_REBOOT after an "
                    + "Install with RebootIfNeeded: " + after.ids(PatchState.INSTALLED_PENDING_REBOOT));
        }
        if (!problems.isEmpty()) {
            throw new PatchVerificationException("the rescan of " + ctx.get(INSTANCE_ID) + " does not show a good install: "
                    + String.join("; ", problems));
        }
        List<PatchInfo> installed = installed(before, after);
        log.info("Verified {} patch(es) installed on {}{}", installed.size(), ctx.get(INSTANCE_ID),
                after.pendingReboot() ? ", " + after.counts().installedPendingReboot()
                        + " pending reboot (NoReboot: reboot and rescan to finish)" : "");
        return installed;
    }

    static List<PatchInfo> installed(PatchCompliance before, PatchCompliance after) {
        Set<String> missing = before.ids(PatchState.MISSING);
        return after.patches().stream().filter(p -> missing.contains(p.id()) && (p.isInstalled()
                || p.state() == PatchState.INSTALLED_PENDING_REBOOT)).toList();
    }

    private static List<InstanceReport> reports(RolloutResult first, RolloutResult second, Map<String, String> platform,
            boolean dry) {
        List<InstanceReport> out = new ArrayList<>();
        for (WaveResult w : first.waves()) {
            w.targets().forEach(t -> out.add(report(w.name(), t, platform, dry)));
        }
        if (second != null) {
            for (WaveResult w : second.waves()) {
                w.targets().forEach(t -> out.add(report(w.name(), t, platform, dry)));
            }
        }
        return out;
    }

    private static InstanceReport report(String wave, TargetResult t, Map<String, String> platform, boolean dry) {
        var run = t.runResult();
        Optional<PatchCompliance> reported = run.flatMap(r -> r.output(REPORTED));
        Optional<PatchCompliance> before = run.flatMap(r -> r.output(BEFORE)).or(() -> reported);
        Optional<PatchCompliance> after = run.flatMap(r -> r.output(AFTER));
        List<PatchInfo> installed = before.isPresent() && after.isPresent() ? installed(before.get(), after.get()) : List.of();
        List<PatchInfo> would = dry && !PRODUCTION_SCAN.equals(wave) ? reported.map(PatchCompliance::missing).orElse(List.of())
                : List.of();
        return InstanceReport.builder(wave, t.target()).platform(platform.getOrDefault(t.target(), ""))
                .status(t.status().name()).before(before.map(PatchCompliance::counts))
                .after(after.map(PatchCompliance::counts)).installed(installed).wouldInstall(would)
                .failedPatches(after.map(a -> a.patches(PatchState.FAILED)).orElse(List.of()))
                .pendingReboot(after.map(PatchCompliance::pendingReboot).orElse(false))
                .backupImage(run.flatMap(r -> r.output(BACKUP_IMAGE)).orElse(""))
                .reason(Objects.toString(t.reason(), "")).build();
    }

    @Override
    public String toString() {
        return "PatchRollout " + name + ": " + NON_PRODUCTION + " (" + nonProduction.description() + "), soak " + soak
                + (soakApprover == null ? "" : " (an approval ends it early)") + ", " + PRODUCTION_SCAN + ", compare, "
                + PRODUCTION + " (" + production.description() + "); RebootOption " + reboot + ", AMI backup "
                + (amiBackup ? "on" : "off") + (databaseBackup == null ? "" : ", database backup " + databaseBackup.name())
                + (pin == null ? "" : ", " + pin);
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
        private boolean amiNoReboot;
        private Step<?> databaseBackup;
        private Pin pin;
        private Consumer<Wave.Builder> nonProductionWave = w -> { };
        private Consumer<Wave.Builder> productionWave = w -> { };
        private Announcement productionAnnouncement;
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

        /** Images without rebooting the instance (faster; the file system may be inconsistent). Default: reboot. */
        public Builder amiBackupWithoutReboot() {
            this.amiNoReboot = true;
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

        /** Pins production to exactly what non-production tested. */
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
         * Tells the people production affects before it changes: after the comparison passed, the rollout sends
         * {@code announcement}'s notice, waits its lead time on the rollout's clock, then patches production; a
         * {@code required()} announcement that cannot be sent halts the rollout before production changes.
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
                        + "digits, '_', '.' or '-', at most 117 characters, so that \"<name>-production\" is a rollout "
                        + "name too)");
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
