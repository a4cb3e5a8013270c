package dev.stepwise.core.notify;

import dev.stepwise.core.Durations;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.run.RunEvent;
import dev.stepwise.core.run.RunListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link RunListener} that sends {@link Notifications} when a plan run starts ({@link Moment#BEFORE_START}),
 * fails or is cancelled ({@link Moment#FAILED}) and finishes as intended ({@link Moment#COMPLETED}); made by
 * {@link Notifications#forRun}. Notices name the plan, the inputs (secrets as {@code ****}), the time, the
 * expected impact, the backups made (configured text and the {@linkplain Notifications#backupSteps()
 * backup steps} that succeeded) and the outcome. In a dry run nothing is sent. Sending happens on the run's
 * thread, so a slow notifier slows the run; a failing one never fails it. Thread-safe.
 *
 * <pre>{@code
 * RunNotifier told = ops.forRun(plan, inputs);
 * Runner.create().withListener(told).run(plan, inputs);
 * told.deliveries().forEach(System.out::println);
 * }</pre>
 */
public final class RunNotifier implements RunListener {
    private final Notifications config;
    private final Plan plan;
    private final Inputs inputs;
    private final Set<String> secrets;
    private final Map<String, State> runs = new HashMap<>();
    private final List<Delivery> deliveries = new ArrayList<>();

    private static final class State {
        boolean dryRun;
        Instant start;
        final List<String> backupsMade = new ArrayList<>();
        String failure;
    }

    RunNotifier(Notifications config, Plan plan, Inputs inputs) {
        this.config = config;
        this.plan = plan;
        this.inputs = inputs;
        this.secrets = Notifications.secretValues(inputs);
    }

    @Override
    public synchronized void onEvent(RunEvent event) {
        if (!event.run().plan().equals(plan.name())) {
            return;
        }
        State st = runs.computeIfAbsent(event.run().runId(), id -> new State());
        if (event instanceof RunEvent.PlanStarted s) {
            st.dryRun = s.dryRun();
            st.start = s.at();
            if (config.isOn(Moment.BEFORE_START)) {
                notice(st, Moment.BEFORE_START, Severity.INFO, "Starting: " + title(event), event, List.of(
                        "What: " + what(),
                        "Which targets: " + targets(event),
                        "When: starts now, " + s.at()));
            }
        } else if (event instanceof RunEvent.StepSucceeded s && config.backupSteps().contains(s.step())) {
            st.backupsMade.add(s.step() + " (succeeded at " + s.at() + ")");
        } else if (event instanceof RunEvent.StepFailed f) {
            st.failure = "step " + f.step() + " failed after " + f.attempts() + " attempt(s): " + f.failure();
        } else if (event instanceof RunEvent.PlanFinished f) {
            boolean ok = f.status().isSuccess();
            Moment m = ok ? Moment.COMPLETED : Moment.FAILED;
            if (config.isOn(m)) {
                List<String> facts = new ArrayList<>(List.of(
                        "What: " + what(),
                        "Which targets: " + targets(event),
                        "When: started " + st.start + ", finished " + f.at()
                                + (st.start == null ? "" : " (" + human(Duration.between(st.start, f.at())) + ")"),
                        "Outcome: " + f.status() + (ok || st.failure == null ? "" : " — " + st.failure)));
                if (!config.backupSteps().isEmpty()) {
                    facts.add("Backups made: " + (st.backupsMade.isEmpty() ? "none of " + config.backupSteps()
                            : String.join(", ", st.backupsMade)));
                }
                notice(st, m, ok ? Severity.INFO : Severity.CRITICAL,
                        (ok ? "Completed: " : "Failed: ") + title(event) + " " + f.status(), event, facts);
            }
            runs.remove(event.run().runId());
        }
    }

    /** Every delivery so far (sent, failed or dry-run), in order. */
    public synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    private void notice(State st, Moment m, Severity sev, String subject, RunEvent e, List<String> facts) {
        Notice n = config.compose(m, sev, subject, "plan run " + e.run(), e.at(), facts, secrets);
        deliveries.addAll(config.deliver(n, st.dryRun));
    }

    private String title(RunEvent e) {
        return "plan " + plan.name() + (e.run().target() == null ? "" : " on " + e.run().target());
    }

    private String what() {
        return config.what().isEmpty() ? "plan " + plan.name() + (plan.description().isEmpty() ? ""
                : " — " + plan.description()) : config.what();
    }

    private String targets(RunEvent e) {
        return (e.run().target() == null ? "" : e.run().target() + "; ") + "inputs " + Notifications.show(inputs);
    }

    static String human(Duration d) {
        return Durations.human(d);
    }

    @Override
    public String toString() {
        return "RunNotifier{plan " + plan.name() + ", " + config + "}";
    }
}
