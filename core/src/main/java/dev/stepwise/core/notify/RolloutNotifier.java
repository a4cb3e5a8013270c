package dev.stepwise.core.notify;

import dev.stepwise.core.rollout.Checkpoint;
import dev.stepwise.core.rollout.Rollout;
import dev.stepwise.core.rollout.RolloutEvent;
import dev.stepwise.core.rollout.RolloutListener;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.rollout.TargetStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link RolloutListener} that sends {@link Notifications} when a rollout starts ({@link Moment#BEFORE_START}),
 * is about to ask for an approval ({@link Moment#APPROVAL_REQUESTED}), halts or is cancelled
 * ({@link Moment#FAILED}) and succeeds ({@link Moment#COMPLETED}); made by {@link Notifications#forRollout}.
 * Notices name the rollout, its waves, the targets that ran and how they ended, the time, the expected impact,
 * the backups and the outcome; secret input values of the targets seen are blanked. In a dry run nothing is
 * sent and {@link #deliveries()} lists what would have been. Rollout listeners run under the rollout's lock, and
 * these moments come on the rollout's own thread with no target in flight, so a slow notifier delays the
 * rollout but no target; a failing one never fails it. Pass a notice before a wave, with a lead time, with an
 * {@link Announcement} instead. Thread-safe; use one per rollout run.
 *
 * <pre>{@code
 * RolloutNotifier told = ops.forRollout(rollout);
 * RolloutResult r = runner.withRolloutListener(told).run(rollout);
 * told.deliveries().forEach(System.out::println);
 * }</pre>
 */
public final class RolloutNotifier implements RolloutListener {
    private final Notifications config;
    private final Rollout rollout;
    private final Set<String> secrets = new LinkedHashSet<>();
    private final Map<String, Map<String, TargetStatus>> targets = new LinkedHashMap<>();
    private final Map<String, String> waves = new LinkedHashMap<>();
    private final List<Delivery> deliveries = new ArrayList<>();
    private boolean dryRun;
    private Instant start;

    RolloutNotifier(Notifications config, Rollout rollout) {
        this.config = config;
        this.rollout = rollout;
    }

    @Override
    public synchronized void onEvent(RolloutEvent event) {
        if (!event.rollout().equals(rollout.name())) {
            return;
        }
        if (event instanceof RolloutEvent.RolloutStarted s) {
            dryRun = s.dryRun();
            start = s.at();
            if (config.isOn(Moment.BEFORE_START)) {
                notice(Moment.BEFORE_START, Severity.INFO, "Starting: rollout " + rollout.name(), event, List.of(
                        "What: " + what(),
                        "Which targets: " + String.join("; ", rollout.waves().stream()
                                .map(w -> "wave " + w.name() + ": " + w.targets().description()).toList()),
                        "When: starts now, " + s.at()));
            }
        } else if (event instanceof RolloutEvent.CheckpointStarted c && c.kind() == Checkpoint.Kind.APPROVAL) {
            if (config.isOn(Moment.APPROVAL_REQUESTED)) {
                notice(Moment.APPROVAL_REQUESTED, Severity.WARNING, "Approval requested: rollout " + rollout.name()
                        + ", wave " + c.wave(), event, List.of(
                        "What: " + what(),
                        "Approval: " + c.description(),
                        "Which targets: wave " + c.wave() + ": " + rollout.waves().stream()
                                .filter(w -> w.name().equals(c.wave())).findFirst()
                                .map(w -> w.targets().description()).orElse("unknown"),
                        "When: requested " + c.at(),
                        "So far: " + soFar()));
            }
        } else if (event instanceof RolloutEvent.TargetStarted t) {
            try {
                secrets.addAll(Notifications.secretValues(rollout.inputsFor(t.target())));
            } catch (RuntimeException e) {
                // Bad inputs fail that target's own run, which reports them; there is no secret of it to blank.
            }
        } else if (event instanceof RolloutEvent.TargetFinished t) {
            targets.computeIfAbsent(t.wave(), w -> new LinkedHashMap<>()).put(t.target(), t.status());
        } else if (event instanceof RolloutEvent.WaveFinished w) {
            waves.put(w.wave(), w.status() + (w.reason().isEmpty() ? "" : " — " + w.reason()));
        } else if (event instanceof RolloutEvent.RolloutFinished f) {
            boolean ok = f.status() == RolloutStatus.SUCCEEDED;
            Moment m = ok ? Moment.COMPLETED : Moment.FAILED;
            if (config.isOn(m)) {
                List<String> facts = new ArrayList<>();
                facts.add("What: " + what());
                facts.add("Which targets: " + targetsText());
                facts.add("When: started " + start + ", finished " + f.at()
                        + (start == null ? "" : " (" + RunNotifier.human(java.time.Duration.between(start, f.at())) + ")"));
                facts.add("Outcome: " + f.status() + (f.reason().isEmpty() ? "" : " — " + f.reason()));
                waves.forEach((w, s) -> facts.add("Wave " + w + ": " + s));
                notice(m, ok ? Severity.INFO : Severity.CRITICAL, (ok ? "Completed: " : f.status() == RolloutStatus.CANCELLED
                        ? "Cancelled: " : "Halted: ") + "rollout " + rollout.name(), event, facts);
            }
        }
    }

    /** Every delivery so far (sent, failed or dry-run), in order. */
    public synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    private void notice(Moment m, Severity sev, String subject, RolloutEvent e, List<String> facts) {
        Notice n = config.compose(m, sev, subject, "rollout " + rollout.name() + " (" + e.rolloutId() + ")", e.at(),
                facts, secrets);
        deliveries.addAll(config.deliver(n, dryRun));
    }

    private String what() {
        return config.what().isEmpty() ? "rollout " + rollout.name() + " of plan " + rollout.plan().name()
                + (rollout.plan().description().isEmpty() ? "" : " — " + rollout.plan().description()) : config.what();
    }

    private String soFar() {
        if (targets.isEmpty()) {
            return "no target has run yet";
        }
        return targetsText();
    }

    private String targetsText() {
        if (targets.isEmpty()) {
            return "none ran";
        }
        List<String> parts = new ArrayList<>();
        targets.forEach((w, ts) -> {
            Map<TargetStatus, List<String>> by = new LinkedHashMap<>();
            ts.forEach((t, s) -> by.computeIfAbsent(s, k -> new ArrayList<>()).add(t));
            List<String> bits = new ArrayList<>();
            by.forEach((s, list) -> bits.add(s.name().toLowerCase(java.util.Locale.ROOT) + " " + list));
            parts.add("wave " + w + ": " + String.join(", ", bits));
        });
        return String.join("; ", parts);
    }

    @Override
    public String toString() {
        return "RolloutNotifier{rollout " + rollout.name() + ", " + config + "}";
    }
}
