package dev.stepwise.aviatrix;

import dev.stepwise.core.CancelledException;
import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Prediction;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.plan.StepContext;
import dev.stepwise.core.poll.Outcome;
import dev.stepwise.core.poll.Poll;
import dev.stepwise.core.poll.PollTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A Stepwise plan that steps an Aviatrix controller through its release train, one allowed hop at a
 * time, each hop in the API protocol of the version it starts from ({@link ControllerEra}), with a backup
 * before every hop and after the last, and checks around each one.
 *
 * <p>The plan ({@link #plan()}) has one input, {@link #TARGET_VERSION} (a controller version such as
 * {@code 6.8}, or {@code latest} as the controller reports it; anything else is refused before any
 * call, naming the input, the value and the accepted forms), and these steps:
 * <ol>
 *   <li>preflight, all READ_ONLY: log in (reachable, credentials), read the current version, check
 *       that backups are configured ({@code get_cloudn_backup_config}), check that every access
 *       account passes its IAM audit ({@code get_account_audit_records}; failing accounts are listed
 *       and halt the run unless accepted with {@link Builder#acceptFailingAudit(String...)}; before 6.5
 *       no source documents the action, so the step logs a warning to check it in the UI), check that
 *       every gateway ({@code list_vpcs_summary}, or only those named with {@link Builder#gateways})
 *       runs the controller's version (from 6.5; before, every upgrade moves the gateways too);</li>
 *   <li>{@code compute upgrade path} (READ_ONLY): the {@link UpgradePath} from the current version to
 *       the target through the {@linkplain Builder#train(String...) release train}; a downgrade, a
 *       target outside the train or a gap in it (a release the built-in table of known releases puts
 *       between two entries, a minimum build not reached) stops the run before anything changes, and so
 *       does a hop whose era has no documented upgrade call (8.x) or, for
 *       {@link UpgradeScope#CONTROLLER_ONLY}, starts before 6.5 ({@link UnsupportedEraException}); a
 *       controller already on the target ends the run;</li>
 *   <li>{@code upgrade along the path} (MUTATING), per hop: backup now
 *       ({@code enable_cloudn_backup_config}, {@code now=true}, the era's parameter names) → start the
 *       upgrade in the era's protocol ({@link AviatrixClient#upgrade}) → unless it finished synchronously
 *       (3.3–6.4), wait {@linkplain Builder#upgradeInitialDelay(Duration) the initial delay}, then follow
 *       its progress ({@code check_upgrade_status} on 6.5–7.0, {@code platform_upgrade_status} from 7.1,
 *       the reported version otherwise or after an unconfirmed start) every
 *       {@linkplain Builder#pollInterval(Duration) poll interval}, at most
 *       {@linkplain Builder#upgradeTimeout(Duration) the timeout} → log in again → verify that the
 *       controller reports the hop's version → with {@link Builder#upgradeGateways(boolean)} (or for
 *       controller-only upgrades) move every lagging gateway, HA gateways before their primaries, one per
 *       call → verify the gateways → next hop; after the last hop, one more backup.
 *       Its output is an {@link UpgradeReport}; a failure at hop k stops the run with a
 *       {@link ControllerUpgradeException} whose message names the hop, the version the controller
 *       runs, the backups made and the controller's reason;</li>
 *   <li>{@code verify final version} (READ_ONLY): the controller and the gateways run the target.</li>
 * </ol>
 *
 * <p><b>Dry run.</b> No public API action runs the controller UI's "Dry Run" button, so this plan
 * does not pretend to call one: its preflight <em>is</em> Stepwise's dry run. {@code
 * Runner.create().dryRun().run(upgrade.plan(), inputs)} runs every preflight check and computes the
 * path for real against the controller, and lists, hop by hop, every call the live run would make,
 * without making any backup or upgrade call; for every hop it also reminds the operator to read that
 * release's notes for OpenVPN® impact (some releases restart OpenVPN and disconnect users, and only the
 * release notes say which). The hop count is known only once the path is computed,
 * which is why one MUTATING step walks the path rather than one step per hop.
 *
 * <p>Waits use the runner's clock ({@link StepContext#sleep(Duration)}), so tests on a
 * {@code VirtualTimeSource} take no wall-clock time; the client's own 502/503 retry interval is a
 * client setting. Re-running the plan after a failure starts again from the version the controller
 * runs, since the path is computed at every run. The plan never holds the password, API token or
 * session id; its outputs, results and log lines contain none.
 *
 * <p>Defaults: scope {@link UpgradeScope#CONTROLLER_AND_GATEWAYS}; every gateway checked, none upgraded by the
 * plan; no failing
 * audit accepted; initial delay 90 s, poll every 10 s, 30 min per hop (the Terraform provider's
 * timing); no default target (the input is then required). Immutable and thread-safe; one plan may
 * be run many times.
 *
 * <pre>{@code
 * ControllerUpgrade upgrade = ControllerUpgrade.builder().
 *     client(client).
 *     train("6.5.2608", "6.6.5612", "6.7.1376", "6.8.1148").
 *     gateways("spoke-1", "spoke-2").
 *     backup(BackupRequest.of(CloudType.AWS, "aws-primary", "controller-backups")).
 *     build();
 * Inputs to68 = Inputs.of(ControllerUpgrade.TARGET_VERSION, "6.8");
 * System.out.println(Runner.create().dryRun().run(upgrade.plan(), to68));   // preflight and every hop's calls
 * RunResult done = Runner.create().run(upgrade.plan(), to68).orThrow();
 * }</pre>
 */
public final class ControllerUpgrade {

    /** The input: a controller version such as {@code 6.8}, or {@code latest}. */
    public static final Key<String> TARGET_VERSION = Key.of("TargetVersion", String.class);
    /** Output of {@code read current version}. */
    public static final Key<ControllerVersion> CURRENT_VERSION = Key.of("CurrentVersion", ControllerVersion.class);
    /** Output of {@code check backup configuration}: where backups go. */
    public static final Key<String> BACKUP_CONFIGURATION = Key.of("BackupConfiguration", String.class);
    /** Output of {@code audit access accounts}: every access account's audit record (failing ones only if accepted). */
    public static final Key<List<AccountAudit>> ACCOUNT_AUDIT = Key.listOf("AccountAudit", AccountAudit.class);
    /** Output of {@code check gateways}: the gateways checked with the version each runs (empty before 6.5, where none can be listed). */
    public static final Key<List<GatewayInfo>> GATEWAYS = Key.listOf("Gateways", GatewayInfo.class);
    /** Output of {@code compute upgrade path}. */
    public static final Key<UpgradePath> UPGRADE_PATH = Key.of("UpgradePath", UpgradePath.class);
    /** Output of {@code upgrade along the path}. */
    public static final Key<UpgradeReport> UPGRADE_REPORT = Key.of("UpgradeReport", UpgradeReport.class);
    /** Output of {@code verify final version}. */
    public static final Key<ControllerVersion> FINAL_VERSION = Key.of("FinalVersion", ControllerVersion.class);

    /** The plan's default name. */
    public static final String DEFAULT_PLAN_NAME = "aviatrix-controller-upgrade";

    /** The step names, for reading results: {@code result.step(ControllerUpgrade.UPGRADE_STEP)}. */
    public static final String LOGIN_STEP = "log in";
    /** Reads {@code list_version_info}. */
    public static final String VERSION_STEP = "read current version";
    /** Reads {@code get_cloudn_backup_config}. */
    public static final String BACKUP_CONFIG_STEP = "check backup configuration";
    /** Reads {@code get_account_audit_records}. */
    public static final String AUDIT_STEP = "audit access accounts";
    /** Reads {@code list_vpcs_summary} (from 6.5). */
    public static final String GATEWAYS_STEP = "check gateways";
    /** Computes the {@link UpgradePath}. */
    public static final String PATH_STEP = "compute upgrade path";
    /** Walks the path: backup, upgrade, wait, log in, verify, per hop. */
    public static final String UPGRADE_STEP = "upgrade along the path";
    /** Checks that the controller and gateways run the target. */
    public static final String VERIFY_STEP = "verify final version";

    private static final Logger log = LoggerFactory.getLogger(ControllerUpgrade.class);
    private static final String AVIATRIX = "aviatrix";
    /** The naming rule of plans, checked by the builder so a bad name is reported with the other problems. */
    private static final java.util.regex.Pattern PLAN_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final String TARGET_RULE = "be \"" + UpgradePath.LATEST + "\" or a controller version ("
            + ControllerVersion.ACCEPTED_FORMS + ")";

    private final String name;
    private final AviatrixClient client;
    private final String target;
    private final List<ControllerVersion> train;
    private final UpgradeScope scope;
    private final List<String> gateways;
    private final boolean upgradeGateways;
    private final Set<String> acceptedFailingAudit;
    private final BackupRequest backup;
    private final Poll upgradePoll;
    private final Duration initialDelay;
    private final Duration pollInterval;
    private final Duration upgradeTimeout;
    private final Consumer<UpgradeReport> onHopCompleted;
    private final Plan plan;

    private ControllerUpgrade(Builder b) {
        this.name = b.name;
        this.client = b.client;
        this.target = b.target;
        this.train = List.copyOf(b.train);
        this.scope = b.scope;
        this.gateways = List.copyOf(b.gateways);
        this.upgradeGateways = b.upgradeGateways;
        this.acceptedFailingAudit = Set.copyOf(b.acceptedFailingAudit);
        this.backup = b.backup;
        this.upgradePoll = Poll.builder().initialDelay(b.initialDelay).every(b.pollInterval).timeout(b.upgradeTimeout)
                .describedAs("the upgrade to complete").build();
        this.initialDelay = b.initialDelay;
        this.pollInterval = b.pollInterval;
        this.upgradeTimeout = b.upgradeTimeout;
        this.onHopCompleted = b.onHopCompleted;
        this.plan = buildPlan();
    }

    /** @return a builder with the defaults listed on {@link ControllerUpgrade} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this upgrade's settings, for a variant:
     * {@code upgrade.toBuilder().scope(UpgradeScope.CONTROLLER_ONLY).build()}. Adding to a list setting (train,
     * gateways, accepted audit failures) adds to this upgrade's list.
     *
     * @return a builder holding this upgrade's settings
     */
    public Builder toBuilder() {
        Builder b = new Builder().name(name).client(client).scope(scope).backup(backup)
                .upgradeInitialDelay(initialDelay).pollInterval(pollInterval).upgradeTimeout(upgradeTimeout);
        if (target != null) {
            b.target(target);
        }
        b.train.addAll(train);
        b.gateways.addAll(gateways);
        b.upgradeGateways = upgradeGateways;
        b.acceptedFailingAudit.addAll(acceptedFailingAudit);
        b.onHopCompleted = onHopCompleted;
        return b;
    }

    /** @return the plan; run it with a {@code Runner}, live or as a dry run */
    public Plan plan() {
        return plan;
    }

    /** @return the release train the path is computed through */
    public List<ControllerVersion> train() {
        return train;
    }

    /** @return what each hop moves */
    public UpgradeScope scope() {
        return scope;
    }

    /** @return the gateways the checks are narrowed to; empty means every gateway */
    public List<String> gateways() {
        return gateways;
    }

    /** @return whether {@code text} is "latest" or a controller version */
    static boolean isTarget(String text) {
        return text.strip().equalsIgnoreCase(UpgradePath.LATEST) || ControllerVersion.tryParse(text) != null;
    }

    // ---------------------------------------------------------------- the plan

    private Plan buildPlan() {
        Input.Builder<String> targetInput = (target == null ? Input.required(TARGET_VERSION)
                : Input.optional(TARGET_VERSION, target))
                .rule(TARGET_RULE, ControllerUpgrade::isTarget)
                .describedAs("the version to end on, or \"latest\" as the controller reports it");
        return Plan.builder(name)
                .describedAs("Step the Aviatrix controller at " + client.controller() + " through its release train")
                .input(targetInput)
                .step(Step.readOnly(LOGIN_STEP)
                        .describedAs("reach the controller and log in (get_api_token, login)")
                        .run(ctx -> client.login()))
                .step(Step.readOnly(VERSION_STEP)
                        .output(CURRENT_VERSION)
                        .describedAs("read the version the controller runs (list_version_info)")
                        .action(ctx -> client.currentVersion()))
                .step(Step.readOnly(BACKUP_CONFIG_STEP)
                        .output(BACKUP_CONFIGURATION)
                        .describedAs("check that controller backups are configured (get_cloudn_backup_config)")
                        .action(ctx -> checkBackupConfig()))
                .step(Step.readOnly(AUDIT_STEP)
                        .output(ACCOUNT_AUDIT)
                        .describedAs("check every access account's IAM policy audit (get_account_audit_records)")
                        .action(ctx -> checkAudit()))
                .step(Step.readOnly(GATEWAYS_STEP)
                        .output(GATEWAYS)
                        .reads(CURRENT_VERSION)
                        .describedAs("check that every gateway (or the named ones) runs the controller's version "
                                + "(list_vpcs_summary, from 6.5)")
                        .action(ctx -> checkGateways(ctx.get(CURRENT_VERSION), "before the upgrade")))
                .step(Step.readOnly(PATH_STEP)
                        .output(UPGRADE_PATH)
                        .reads(TARGET_VERSION, CURRENT_VERSION)
                        .describedAs("compute the hops the release rules allow through the release train")
                        .action(ctx -> computePath(ctx.get(TARGET_VERSION), ctx.get(CURRENT_VERSION))))
                .when("the controller already runs the target", ctx -> ctx.get(UPGRADE_PATH).isEmpty(),
                        then -> then.end("nothing to upgrade: the controller already runs the target"))
                .step(Step.mutating(UPGRADE_STEP)
                        .output(UPGRADE_REPORT)
                        .reads(UPGRADE_PATH)
                        .describedAs("per hop, in the protocol of its era: backup now, upgrade, follow its progress, "
                                + "log in again, verify the controller's and gateways' versions; a backup after the "
                                + "last hop")
                        .predict(ctx -> predict(ctx.get(UPGRADE_PATH)))
                        .action(this::upgradeAlong))
                .step(Step.readOnly(VERIFY_STEP)
                        .output(FINAL_VERSION)
                        .reads(UPGRADE_REPORT, UPGRADE_PATH)
                        .describedAs("check that the controller and the gateways run the target")
                        .action(ctx -> verifyFinal(ctx.get(UPGRADE_REPORT), ctx.get(UPGRADE_PATH))))
                .build();
    }

    private String checkBackupConfig() {
        BackupConfig config = client.backupConfig();
        if (!config.enabled()) {
            throw new ControllerUpgradeException("Controller backups are not configured (get_cloudn_backup_config "
                    + "answered enabled=no): configure them on the controller (Settings > Maintenance > Backup & "
                    + "Restore) before upgrading; nothing was changed", null, null, null);
        }
        return "enabled" + config.accountName().map(a -> ", account " + a).orElse("")
                + config.bucketName().map(b -> ", bucket " + b).orElse("")
                + (config.multipleBackups() ? ", multiple backups" : "")
                + "; each hop backs up to " + backup.location() + " with " + backup.accountName();
    }

    private List<AccountAudit> checkAudit() {
        ControllerEra era = client.era();
        if (!era.canListGateways()) {
            // No source describes the audit before 6.5 (ControllerEra); the operator checks it in the UI.
            log.warn("The IAM policy audit cannot be read from a {} controller (no documented action); check it in "
                    + "the controller's UI (Accounts > Access Accounts > Audit) before upgrading", era.versions());
            return List.of();
        }
        List<AccountAudit> audit = client.accountAudit();
        List<AccountAudit> failing = audit.stream().filter(a -> !a.passed()).toList();
        List<AccountAudit> refused = failing.stream().filter(a -> !acceptedFailingAudit.contains(a.accountName()))
                .toList();
        if (!refused.isEmpty()) {
            throw new ControllerUpgradeException("Access accounts failing their IAM policy audit: " + describe(refused)
                    + ". Update their IAM policies (Accounts > Access Accounts > Audit > Update Policy) before "
                    + "upgrading, or accept them explicitly with acceptFailingAudit("
                    + refused.stream().map(a -> "\"" + a.accountName() + "\"").collect(Collectors.joining(", "))
                    + "); nothing was changed", null, null, null);
        }
        if (!failing.isEmpty()) {
            log.info("Access accounts failing their IAM policy audit, accepted by the caller: {}", describe(failing));
        }
        return audit;
    }

    private static String describe(List<AccountAudit> accounts) {
        return accounts.stream().map(a -> a.accountName() + " (" + a.status()
                + (a.comment().isBlank() ? "" : ": " + a.comment()) + ")").collect(Collectors.joining(", "));
    }

    /**
     * Every gateway (or only the named ones) must run the controller's version [SU0, SU]. Before 6.5 no action
     * lists gateways, and every upgrade moves them with the controller [IU]: nothing to read.
     */
    private List<GatewayInfo> checkGateways(ControllerVersion controllerVersion, String when) {
        if (!client.era().canListGateways()) {
            log.info("Gateways cannot be listed on a {} controller; before 6.5 every upgrade moves them with the "
                    + "controller", client.era().versions());
            return List.of();
        }
        List<GatewayInfo> infos = selected(client.gateways());
        List<String> lagging = infos.stream().filter(g -> !reports(g.softwareVersion(), controllerVersion))
                .map(g -> g.name() + " runs " + g.softwareVersion()).toList();
        if (!lagging.isEmpty()) {
            throw new ControllerUpgradeException("Gateways do not run the controller's version " + controllerVersion + " "
                    + when + ": " + String.join(", ", lagging) + ". Every gateway must run the controller's version "
                    + "before the controller moves (upgrade them first, HA gateways before their primaries, or "
                    + "let this plan do it with upgradeGateways(true))", null, null, null);
        }
        return infos;
    }

    private List<GatewayInfo> selected(List<GatewayInfo> all) {
        if (gateways.isEmpty()) {
            return all;
        }
        List<String> missing = gateways.stream().filter(n -> all.stream().noneMatch(g -> g.name().equals(n))).toList();
        if (!missing.isEmpty()) {
            throw new ControllerUpgradeException("Gateways " + missing + " are not on the controller (list_vpcs_summary "
                    + "lists " + all.stream().map(GatewayInfo::name).toList() + "); nothing was changed", null, null,
                    null);
        }
        return all.stream().filter(g -> gateways.contains(g.name())
                || g.haOf().map(gateways::contains).orElse(false)).toList();
    }

    private UpgradePath computePath(String targetText, ControllerVersion current) {
        UpgradePath.Builder b = UpgradePath.builder().from(current).train(train);
        if (targetText.strip().equalsIgnoreCase(UpgradePath.LATEST)) {
            b.latest(client.latestVersion());
        } else {
            b.to(ControllerVersion.parse(targetText));
        }
        UpgradePath path = b.build();
        for (UpgradePath.Hop hop : path.hops()) {
            // Every hop must have a documented protocol before the first one starts.
            ControllerEra era = ControllerEra.of(hop.from());
            if (!era.canUpgrade()) {
                throw new UnsupportedEraException(era, "upgrade", "hop " + hop.number() + " (" + hop.from() + " -> "
                        + hop.to() + ") starts on " + era.versions() + ", whose upgrade API is not public (the "
                        + "Terraform provider dropped upgrades in v8.0.0)");
            }
            if (scope == UpgradeScope.CONTROLLER_ONLY && !era.canUpgradeControllerOnly()) {
                throw new UnsupportedEraException(era, "controller-only upgrade", "hop " + hop.number() + " ("
                        + hop.from() + " -> " + hop.to() + ") starts before 6.5, where every upgrade moves the "
                        + "gateways too (inline_upgrade); use UpgradeScope.CONTROLLER_AND_GATEWAYS");
            }
            if (upgradeGateways && !era.canListGateways()) {
                throw new UnsupportedEraException(era, "gateway upgrade", "hop " + hop.number() + " starts before "
                        + "6.5, where gateways can be neither listed nor upgraded one by one");
            }
        }
        log.info("Upgrade path for controller {}: {}", client.controller(), path.describe());
        return path;
    }

    // ---------------------------------------------------------------- dry run

    private List<Prediction> predict(UpgradePath path) {
        List<Prediction> out = new ArrayList<>();
        out.add(Prediction.of(path.hops().size() + (path.hops().size() == 1 ? " hop" : " hops") + " from " + path.from()
                + " to " + path.target() + ", each in the protocol of the version it starts from; asynchronous "
                + "upgrades: " + upgradePoll.describe()));
        int n = path.hops().size();
        for (UpgradePath.Hop hop : path.hops()) {
            ControllerEra era = ControllerEra.of(hop.from());
            out.add(Prediction.of("hop " + hop.number() + "/" + n + ": " + hop.from() + " -> " + hop.to() + " ("
                    + hop.reason() + "); API era " + era.versions()));
            // The seed: some releases restart OpenVPN and disconnect users, and only the release notes say which.
            out.add(Prediction.of("before hop " + hop.number() + ": read the release notes of " + hop.to().release()
                    + " for OpenVPN(R) impact; connected VPN users may be disconnected"));
            out.add(Prediction.call(AVIATRIX, "enable_cloudn_backup_config", backupParams(hop.from())));
            Map<String, Object> up = new LinkedHashMap<>(era.upgradeParams(hop.to(), scope));
            String action = (String) up.remove("action");
            out.add(Prediction.call(AVIATRIX, action, up));
            switch (era.upgrade()) {
                case CHECK_UPGRADE_STATUS -> out.add(Prediction.call(AVIATRIX, "check_upgrade_status",
                        Map.of("id", "(request id)", "pos", "0")));
                case PLATFORM_UPGRADE_STATUS -> out.add(Prediction.call(AVIATRIX, "platform_upgrade_status",
                        Map.of("platform_only", "true")));
                default -> out.add(Prediction.of("no progress call in this era: read list_version_info until the "
                        + "controller reports " + hop.to()));
            }
            out.add(Prediction.call(AVIATRIX, "login", Map.of()));
            out.add(Prediction.call(AVIATRIX, "list_version_info", Map.of()));
            ControllerEra after = ControllerEra.find(hop.to()).orElse(era);
            if (after.canListGateways()) {
                if (upgradeGateways) {
                    out.add(Prediction.of("upgrade_selected_gateway for every gateway not on " + hop.to()
                            + ", one per call, HA gateways before their primaries, with software_version and "
                            + "image_version"));
                }
                out.add(Prediction.call(AVIATRIX, "list_vpcs_summary", Map.of()));
            }
        }
        if (n > 0) {
            out.add(Prediction.call(AVIATRIX, "enable_cloudn_backup_config", backupParams(path.target())));
        }
        return out;
    }

    private Map<String, Object> backupParams(ControllerVersion on) {
        return new LinkedHashMap<>(ControllerEra.backupParams(on, backup, true));
    }

    // ---------------------------------------------------------------- live run

    /** Where a hop is, for failure messages. */
    private enum Stage {
        BACKUP("backing up"), UPGRADE("starting the upgrade"), WAIT("waiting for the upgrade"),
        LOGIN("logging in again"), VERIFY("verifying the controller's version"),
        GATEWAYS("moving and verifying the gateways"), FINAL_BACKUP("backing up after the last hop");

        final String text;

        Stage(String text) {
            this.text = text;
        }
    }

    private UpgradeReport upgradeAlong(StepContext ctx) {
        UpgradePath path = ctx.get(UPGRADE_PATH);
        List<UpgradeReport.HopDone> done = new ArrayList<>();
        List<UpgradeReport.BackupMade> backups = new ArrayList<>();
        ControllerVersion reached = path.from();
        int n = path.hops().size();
        for (UpgradePath.Hop hop : path.hops()) {
            ctx.checkCancelled();
            MDC.put("hop", hop.number() + "/" + n);
            Stage stage = Stage.BACKUP;
            try {
                log.info("Hop {}/{}: {} -> {}: backing up to {}", hop.number(), n, hop.from(), hop.to(),
                        backup.location());
                client.backupNow(backup);
                backups.add(UpgradeReport.BackupMade.of(hop.number(), reached, backup.location()));
                stage = Stage.UPGRADE;
                UpgradeStart start = client.upgrade(hop.to(), scope);
                stage = Stage.WAIT;
                awaitUpgrade(ctx, hop, start);
                stage = Stage.LOGIN;
                client.login();
                stage = Stage.VERIFY;
                ControllerVersion now = client.currentVersion();
                if (!reports(now, hop.to())) {
                    throw new IllegalStateException("the controller reports " + now + " after its upgrade to "
                            + hop.to() + " completed");
                }
                reached = now;
                stage = Stage.GATEWAYS;
                if (upgradeGateways || (scope == UpgradeScope.CONTROLLER_ONLY && client.era().canListGateways())) {
                    moveGateways(now);
                }
                checkGateways(now, "after hop " + hop.number());
                done.add(UpgradeReport.HopDone.of(hop.number(), hop.from(), hop.to(), now,
                        start.requestId().orElse("")));
                UpgradeReport soFar = UpgradeReport.builder(path.from(), path.target()).hopsPlanned(n).hops(done)
                        .backups(backups).versionReached(reached).build();
                log.info("Hop {}/{} done: the controller runs {}", hop.number(), n, now);
                if (onHopCompleted != null) {
                    onHopCompleted.accept(soFar);
                }
            } catch (CancelledException e) {
                log.warn("Upgrade cancelled during hop {}/{} while {}; so far: {}", hop.number(), n, stage.text,
                        UpgradeReport.builder(path.from(), path.target()).hopsPlanned(n).hops(done)
                                .backups(backups).versionReached(reached).build());
                throw e;
            } catch (RuntimeException e) {
                throw hopFailed(path, hop, stage, e, done, backups, reached);
            } finally {
                MDC.remove("hop");
            }
        }
        if (n > 0) {
            // Back up again after the last hop [IU: "back up before every hop and again after it"].
            UpgradePath.Hop last = path.hops().get(n - 1);
            try {
                client.backupNow(backup);
                backups.add(UpgradeReport.BackupMade.afterLast(n, reached, backup.location()));
            } catch (RuntimeException e) {
                throw hopFailed(path, last, Stage.FINAL_BACKUP, e, done, backups, reached);
            }
        }
        return UpgradeReport.builder(path.from(), path.target()).hopsPlanned(n).hops(done).backups(backups)
                .versionReached(reached).build();
    }

    /**
     * Moves every lagging gateway to the controller's version, one per call, HA gateways before their primaries
     * [SU], keeping each gateway's image (a software-only change; image upgrades are not modelled).
     */
    private void moveGateways(ControllerVersion now) {
        for (GatewayInfo g : selected(client.gateways())) {
            if (!reports(g.softwareVersion(), now)) {
                client.upgradeGateway(g.name(), now, g.imageName());
            }
        }
    }

    private ControllerUpgradeException hopFailed(UpgradePath path, UpgradePath.Hop hop, Stage stage, RuntimeException e,
            List<UpgradeReport.HopDone> done, List<UpgradeReport.BackupMade> backups, ControllerVersion lastVerified) {
        ControllerVersion reached = lastVerified;
        String runs;
        try {
            reached = client.currentVersion();
            runs = "the controller runs " + reached;
        } catch (RuntimeException unreadable) {
            runs = "the controller's version could not be read (" + unreadable.getMessage() + "); last verified "
                    + lastVerified;
        }
        UpgradeReport report = UpgradeReport.builder(path.from(), path.target()).hopsPlanned(path.hops().size())
                .hops(done).backups(backups).versionReached(reached).build();
        String controllerReason = e instanceof AviatrixApiException api ? api.reason() : null;
        String why = controllerReason != null ? "the controller says: " + controllerReason : e.getMessage();
        // the controller's reasons end with a full stop; the report's sentences add their own
        why = why.endsWith(".") ? why.substring(0, why.length() - 1) : why;
        return new ControllerUpgradeException("Hop " + hop.number() + " of " + path.hops().size() + " (" + hop.from()
                + " -> " + hop.to() + ") failed while " + stage.text + ": " + why + ". Version reached: " + runs
                + " (" + report.versionsReached() + "). Backups made: " + report.backupsMade()
                + ". Re-running the plan starts again from the version the controller runs", report,
                controllerReason, e);
    }

    private void awaitUpgrade(StepContext ctx, UpgradePath.Hop hop, UpgradeStart start) {
        if (start.state() == UpgradeStart.State.COMPLETED) {
            return;
        }
        Poll poll = upgradePoll.toBuilder().describedAs("the upgrade to " + hop.to() + " to complete").build();
        try {
            poll.until(ctx, () -> {
                UpgradeStatus status = client.upgradeStatus(start);
                return switch (status.state()) {
                    case COMPLETE -> Outcome.done(status);
                    case FAILED -> throw new AviatrixApiException(start.era().isAsynchronous()
                            ? (start.era() == ControllerEra.V7_1 || start.era() == ControllerEra.V8
                                    ? "platform_upgrade_status" : "check_upgrade_status") : "list_version_info",
                            status.reason().orElse("upgrade status \"" + status.statusText() + "\" without a reason"));
                    case IN_PROGRESS -> Outcome.waiting(status.statusText().isBlank() ? "in progress" : status.statusText());
                };
            });
        } catch (PollTimeoutException e) {
            throw new AviatrixTimeoutException("upgrade", "the upgrade to " + hop.to() + " did not complete within "
                    + poll.timeout() + " (" + e.probes() + " polls every " + poll.interval() + ")"
                    + (start.state() == UpgradeStart.State.UNCONFIRMED ? "; its start was never confirmed ("
                            + start.detail() + ") and was not sent again" : "")
                    + "; check the controller before re-running", e);
        }
    }

    /** A bare release ({@code 6.8}) names "the newest build of 6.8", which the controller reports with its build. */
    private static boolean reports(ControllerVersion reported, ControllerVersion expected) {
        return expected.isRelease() ? reported.sameRelease(expected) : reported.equals(expected);
    }

    private ControllerVersion verifyFinal(UpgradeReport report, UpgradePath path) {
        ControllerVersion now = client.currentVersion();
        if (!reports(now, path.target())) {
            throw new ControllerUpgradeException("The controller reports " + now + " after the upgrade, not the target "
                    + path.target() + " (" + report.versionsReached() + ")", report, null, null);
        }
        checkGateways(now, "after the upgrade");
        return now;
    }

    @Override
    public String toString() {
        return "ControllerUpgrade[controller=" + client.controller() + ", target="
                + (target == null ? "(input)" : target) + ", scope=" + scope + ", gateways=" + gateways
                + ", train=" + train + ", backup to " + backup.bucketName() + ", poll " + upgradePoll.interval() + " up to "
                + upgradePoll.timeout() + (acceptedFailingAudit.isEmpty() ? "" : ", accepting failing audit of "
                + acceptedFailingAudit) + "]";
    }

    /**
     * Configures a {@link ControllerUpgrade}. {@link #client}, {@link #train} and {@link #backup} are
     * required. A bad value is recorded and reported by {@link #build()} with every other problem, in one
     * {@link PlanValidationException}; a later valid value for the same setting replaces it.
     *
     * <p>Not thread-safe; {@link #build()} copies the settings, so a builder can be reused.
     *
     * <pre>{@code
     * ControllerUpgrade upgrade = ControllerUpgrade.builder().
     *     client(client).
     *     target("latest").
     *     train(releases).
     *     scope(UpgradeScope.CONTROLLER_ONLY).
     *     gateways("spoke-1").
     *     acceptFailingAudit("aws-sandbox").
     *     backup(BackupRequest.of(CloudType.AWS, "aws-primary", "controller-backups")).
     *     pollInterval(Duration.ofSeconds(15)).
     *     build();
     * }</pre>
     */
    public static final class Builder {
        private String name = DEFAULT_PLAN_NAME;
        private AviatrixClient client;
        private String target;
        private final List<ControllerVersion> train = new ArrayList<>();
        private UpgradeScope scope = UpgradeScope.CONTROLLER_AND_GATEWAYS;
        private final Set<String> gateways = new LinkedHashSet<>();
        private boolean upgradeGateways;
        private final Set<String> acceptedFailingAudit = new LinkedHashSet<>();
        private BackupRequest backup;
        private Duration initialDelay = Duration.ofSeconds(90);
        private Duration pollInterval = Duration.ofSeconds(10);
        private Duration upgradeTimeout = Duration.ofMinutes(30);
        private Consumer<UpgradeReport> onHopCompleted;
        /** Problems found by the setters, by setting, so that a later good value clears a bad one. */
        private final Map<String, String> problems = new LinkedHashMap<>();

        private Builder() {
        }

        private boolean record(String setting, String problem) {
            problems.remove(setting);
            if (problem != null) {
                problems.put(setting, problem);
            }
            return problem == null;
        }

        /**
         * @param planName the plan's name (letters, digits, '_', '.', '-'; default {@value #DEFAULT_PLAN_NAME});
         *     a malformed one is reported by {@link #build()}
         * @return this builder
         */
        public Builder name(String planName) {
            Objects.requireNonNull(planName, "name");
            if (record("name", PLAN_NAME.matcher(planName).matches() ? null : "name \"" + planName
                    + "\" does not match " + PLAN_NAME.pattern() + " (a plan's name)")) {
                this.name = planName;
            }
            return this;
        }

        /**
         * @param client the controller's client
         * @return this builder
         */
        public Builder client(AviatrixClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Sets the default of the {@link #TARGET_VERSION} input, so runs need not give it.
         *
         * @param version a controller version such as {@code "6.8"}, or {@code "latest"}; anything else is
         *     reported by {@link #build()}
         * @return this builder
         */
        public Builder target(String version) {
            Objects.requireNonNull(version, "target");
            if (record("target", isTarget(version) ? null : "target \"" + version + "\" must " + TARGET_RULE)) {
                this.target = version.strip();
            }
            return this;
        }

        /**
         * Adds releases the controller may pass through (no controller action lists them); order does
         * not matter.
         *
         * @param releases e.g. {@code "6.5.2608", "6.6.5612", "6.7", "6.8"}; an entry that is not a controller
         *     version is reported by {@link #build()}
         * @return this builder
         */
        public Builder train(String... releases) {
            return train(List.of(Objects.requireNonNull(releases, "train")));
        }

        /**
         * @param releases releases the controller may pass through; an entry that is not a controller version is
         *     reported by {@link #build()}
         * @return this builder
         */
        public Builder train(List<String> releases) {
            Objects.requireNonNull(releases, "train");
            for (String r : releases) {
                Objects.requireNonNull(r, "train entry");
                ControllerVersion v = ControllerVersion.tryParse(r);
                if (v == null) {
                    problems.put("train " + r, "train entry \"" + r + "\" is not a controller version; accepted forms: "
                            + ControllerVersion.ACCEPTED_FORMS);
                } else {
                    train.add(v);
                }
            }
            return this;
        }

        /**
         * @param scope {@link UpgradeScope#CONTROLLER_AND_GATEWAYS} (default), or
         *     {@link UpgradeScope#CONTROLLER_ONLY}, after which each hop moves the {@linkplain #gateways
         *     managed gateways} itself ({@code upgrade_selected_gateway}) before the next hop
         * @return this builder
         */
        public Builder scope(UpgradeScope scope) {
            this.scope = Objects.requireNonNull(scope, "scope");
            return this;
        }

        /**
         * Narrows the gateway checks (and gateway upgrades) to these gateways and their HA gateways. By default every
         * gateway {@code list_vpcs_summary} reports is checked before the first hop and after every hop.
         *
         * @param names gateway names, not blank
         * @return this builder
         */
        public Builder gateways(String... names) {
            return gateways(List.of(Objects.requireNonNull(names, "gateways")));
        }

        /**
         * @param names gateway names, not blank, without ',' or spaces (checked by {@link #build()})
         * @return this builder
         */
        public Builder gateways(Collection<String> names) {
            Objects.requireNonNull(names, "gateways");
            for (String n : names) {
                Objects.requireNonNull(n, "gateway name");
                if (n.isBlank() || n.strip().matches(".*[,\\s].*")) {
                    problems.put("gateway " + n, "gateway name \"" + n + "\" must not be blank and must not contain ',' "
                            + "or spaces (the controller takes a comma-separated list)");
                } else {
                    gateways.add(n.strip());
                }
            }
            return this;
        }

        /**
         * After each hop, moves every gateway that does not run the controller's version
         * ({@code upgrade_selected_gateway}, one gateway per call, HA gateways before their primaries, with the
         * gateway's image), so that all run it before the next hop. Only from 6.5; a path with an earlier hop is
         * refused before it starts. Default false (then lagging gateways stop the run).
         *
         * @param enabled whether to move lagging gateways
         * @return this builder
         */
        public Builder upgradeGateways(boolean enabled) {
            this.upgradeGateways = enabled;
            return this;
        }

        /**
         * Lets the upgrade go ahead although these access accounts fail their IAM policy audit. Any
         * other failing account still halts the preflight.
         *
         * @param accountNames access accounts, not blank (checked by {@link #build()})
         * @return this builder
         */
        public Builder acceptFailingAudit(String... accountNames) {
            Objects.requireNonNull(accountNames, "accountNames");
            for (String a : accountNames) {
                Objects.requireNonNull(a, "account name");
                if (a.isBlank()) {
                    problems.put("acceptFailingAudit " + a, "acceptFailingAudit account \"" + a + "\" must not be blank");
                } else {
                    acceptedFailingAudit.add(a.strip());
                }
            }
            return this;
        }

        /**
         * @param request where the backup before every hop goes
         * @return this builder
         */
        public Builder backup(BackupRequest request) {
            this.backup = Objects.requireNonNull(request, "backup");
            record("backup", null);
            return this;
        }

        /**
         * Builds the backup request in place:
         * {@code backup(b -> b.cloudType(CloudType.AWS).accountName("aws-primary").bucketName("controller-backups"))};
         * its problems are reported by {@link #build()} with every other.
         *
         * @param request sets the request's fields on a fresh {@link BackupRequest.Builder}
         * @return this builder
         */
        public Builder backup(Consumer<BackupRequest.Builder> request) {
            Objects.requireNonNull(request, "backup");
            BackupRequest.Builder b = BackupRequest.builder();
            request.accept(b);
            try {
                return backup(b.build());
            } catch (PlanValidationException e) {
                record("backup", "backup: " + String.join("; ", e.problems()));
                return this;
            }
        }

        /**
         * @param delay the wait after starting an upgrade before the first status poll, zero or positive (default 90 s)
         * @return this builder
         */
        public Builder upgradeInitialDelay(Duration delay) {
            Objects.requireNonNull(delay, "upgradeInitialDelay");
            if (record("upgradeInitialDelay", delay.isNegative()
                    ? "upgradeInitialDelay " + delay + " must not be negative" : null)) {
                this.initialDelay = delay;
            }
            return this;
        }

        /**
         * @param interval the wait between progress polls, positive (default 10 s)
         * @return this builder
         */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = positive("pollInterval", interval, pollInterval);
            return this;
        }

        /**
         * @param timeout how long one hop's upgrade may take, counted as {@code timeout / pollInterval}
         *     polls, positive (default 30 min)
         * @return this builder
         */
        public Builder upgradeTimeout(Duration timeout) {
            this.upgradeTimeout = positive("upgradeTimeout", timeout, upgradeTimeout);
            return this;
        }

        /**
         * @param listener told after every completed hop, with the report so far, on the run's thread
         * @return this builder
         */
        public Builder onHopCompleted(Consumer<UpgradeReport> listener) {
            this.onHopCompleted = Objects.requireNonNull(listener, "onHopCompleted");
            return this;
        }

        /** {@code d} if positive; else {@code old}, with the problem kept for {@link #build()}. */
        private Duration positive(String field, Duration d, Duration old) {
            Objects.requireNonNull(d, field);
            return record(field, d.isNegative() || d.isZero() ? field + " " + d + " must be positive" : null) ? d : old;
        }

        /**
         * @return the upgrade and its plan
         * @throws PlanValidationException listing every problem: a missing client, train or backup request, a
         *     target, train entry, gateway or account name that breaks its rule, a wait out of range, a
         *     malformed plan name
         */
        public ControllerUpgrade build() {
            List<String> all = new ArrayList<>(problems.values());
            if (client == null) {
                all.add("client is not set: give the controller's AviatrixClient");
            }
            if (train.isEmpty() && problems.keySet().stream().noneMatch(k -> k.startsWith("train "))) {
                all.add("train is empty: give the releases the controller may pass through (no controller "
                        + "action lists them)");
            }
            if (backup == null && !problems.containsKey("backup")) {
                all.add("backup is not set: give the BackupRequest every hop backs up with");
            }
            if (!all.isEmpty()) {
                throw new PlanValidationException("ControllerUpgrade", all);
            }
            return new ControllerUpgrade(this);
        }

        @Override
        public String toString() {
            return "ControllerUpgrade.Builder[target=" + target + ", scope=" + scope.name().toLowerCase(Locale.ROOT)
                    + ", gateways=" + gateways + "]";
        }
    }
}
