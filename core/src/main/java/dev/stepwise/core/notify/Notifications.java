package dev.stepwise.core.notify;

import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.Secrets;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.rollout.Rollout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.immutables.value.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is told about a change, through which {@link Notifier}s, at which {@link Moment}s, and the facts every
 * notice repeats: what the change is, its expected impact and the backups made before it.
 *
 * <p>Attach it to a plan run with {@link #forRun(Plan, Inputs)} (a {@link dev.stepwise.core.run.RunListener}),
 * to a rollout with {@link #forRollout(Rollout)} (a {@link dev.stepwise.core.rollout.RolloutListener}: start,
 * approval requested, halt or cancel, completion), and before a wave, with a lead time, through an
 * {@link Announcement} checkpoint. A notifier that fails is logged and recorded as a {@link Delivery}; it never
 * fails the change — only a {@linkplain Announcement#isRequired() required} announcement halts a rollout. In a
 * dry run nothing is sent; the deliveries say what would have been sent, to whom and when.
 *
 * <p>Messages are built from names, targets, statuses and redacted renderings ({@code ****} for secret inputs);
 * any secret input value the adapters see, and any value given to {@link Builder#redact}, is blanked from
 * every subject and body before it leaves — raw, URL-encoded, JSON- or HTML-escaped alike. Defaults: every moment, audience {@code "everyone affected"},
 * impact and backups {@code "not stated"}. Immutable and thread-safe; the builder copies on
 * {@link Builder#build()} and can be reused, and {@link #toBuilder()} starts a changed copy.
 *
 * <pre>{@code
 * Notifications ops = Notifications.builder(webhook).
 *     audience("production application owners").
 *     impact("each instance reboots once; connected VPN users are disconnected").
 *     backups("an AMI of every instance before it is patched").
 *     addMoments(Moment.APPROVAL_REQUESTED, Moment.FAILED, Moment.COMPLETED).
 *     build();
 * RunResult r = Runner.create().withListener(ops.forRun(plan, inputs)).run(plan, inputs);
 * }</pre>
 */
@Value.Immutable
public abstract class Notifications {
    private static final Logger log = LoggerFactory.getLogger(Notifications.class);

    Notifications() {
    }

    /** A builder sending through {@code notifier} and any {@code more}. */
    public static Builder builder(Notifier notifier, Notifier... more) {
        return new Builder().addNotifiers(notifier).addNotifiers(more);
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        return new Builder().from(this);
    }

    /** The notifiers each notice goes through, in order; at least one. */
    public abstract List<Notifier> notifiers();

    /** The moments notices are sent at by the run and rollout adapters (default: every moment). */
    @Value.Default
    public Set<Moment> moments() {
        return EnumSet.allOf(Moment.class);
    }

    /** Whether notices are sent at {@code moment}. */
    public boolean isOn(Moment moment) {
        return moments().contains(moment);
    }

    /** Who the notices are for, e.g. {@code "production application owners"} (default "everyone affected"). */
    @Value.Default
    public String audience() {
        return "everyone affected";
    }

    /** What the change is, e.g. {@code "monthly OS patches"}; empty (the default) to use the plan's or rollout's own name. */
    @Value.Default
    public String what() {
        return "";
    }

    /** The expected impact, e.g. {@code "each instance reboots; connected VPN users are disconnected"}. */
    @Value.Default
    public String impact() {
        return "not stated";
    }

    /** The backups made before the change, e.g. {@code "an AMI of every instance"}. */
    @Value.Default
    public String backups() {
        return "not stated";
    }

    /** Steps whose success means a backup was made; a plan run's notices name the ones that succeeded. */
    public abstract Set<String> backupSteps();

    abstract Set<String> redacted();

    @Value.Check
    void check() {
        List<String> problems = new ArrayList<>();
        if (notifiers().isEmpty()) {
            problems.add("notifiers: none given; add at least one notifier");
        }
        notBlank("audience", audience(), problems);
        if (!what().isEmpty()) {
            notBlank("what", what(), problems);
        }
        notBlank("impact", impact(), problems);
        notBlank("backups", backups(), problems);
        if (!problems.isEmpty()) {
            throw new PlanValidationException("Notifications", problems);
        }
    }

    private static void notBlank(String field, String text, List<String> problems) {
        if (text.isBlank()) {
            problems.add(field + " \"" + text + "\" must not be blank");
        }
    }

    /** Where the notices go, for people: each notifier's destination. */
    public String destinations() {
        return String.join(", ", notifiers().stream().map(Notifications::destinationOf).toList());
    }

    /**
     * A notice for {@code moment}: {@code facts} (one per line), then the expected impact and the backups, with
     * every secret in {@code secrets} and every {@linkplain Builder#redact redacted} value blanked.
     */
    public Notice compose(Moment moment, Severity severity, String subject, String source, Instant at,
            List<String> facts, Collection<String> secrets) {
        StringBuilder body = new StringBuilder();
        for (String f : facts) {
            body.append(f).append('\n');
        }
        body.append("Expected impact: ").append(impact()).append('\n');
        body.append("Backups: ").append(backups());
        Set<String> blank = new LinkedHashSet<>(redacted());
        blank.addAll(secrets);
        return Notice.builder().moment(moment).severity(severity).subject(scrub(subject, blank))
                .body(scrub(body.toString(), blank)).audience(audience()).source(scrub(source, blank)).at(at).build();
    }

    /**
     * Sends {@code notice} through every notifier, one after another; never throws for a notifier's failure.
     *
     * @return one delivery per notifier, in order
     */
    public List<Delivery> send(Notice notice) {
        Objects.requireNonNull(notice, "notice");
        List<Delivery> out = new ArrayList<>(notifiers().size());
        for (Notifier n : notifiers()) {
            String dest = destinationOf(n);
            try {
                n.send(notice);
                out.add(new Delivery(notice, dest, Delivery.Outcome.SENT, ""));
                log.info("Sent {} notice \"{}\" to {} via {}", notice.moment(), notice.subject(), notice.audience(), dest);
            } catch (Exception | AssertionError e) {
                String why = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
                        : e.getClass().getSimpleName() + ": " + e.getMessage();
                out.add(new Delivery(notice, dest, Delivery.Outcome.FAILED, scrub(why, redacted())));
                log.warn("Could not send {} notice \"{}\" via {}: {}", notice.moment(), notice.subject(), dest,
                        scrub(why, redacted()));
            }
        }
        return out;
    }

    /** What {@link #send} would do, without sending: one {@link Delivery.Outcome#DRY_RUN} delivery per notifier. */
    public List<Delivery> preview(Notice notice) {
        Objects.requireNonNull(notice, "notice");
        List<Delivery> out = notifiers().stream()
                .map(n -> new Delivery(notice, destinationOf(n), Delivery.Outcome.DRY_RUN, "")).toList();
        out.forEach(d -> log.info("Dry run: {}", d));
        return out;
    }

    /** Sends {@code notice}, or previews it when {@code dryRun}. */
    public List<Delivery> deliver(Notice notice, boolean dryRun) {
        return dryRun ? preview(notice) : send(notice);
    }

    /**
     * A run listener that notifies at this configuration's moments of a run of {@code plan} with {@code inputs}
     * (shown redacted; secret values are blanked from every notice). Use one per run.
     */
    public RunNotifier forRun(Plan plan, Inputs inputs) {
        return new RunNotifier(this, Objects.requireNonNull(plan, "plan"), Objects.requireNonNull(inputs, "inputs"));
    }

    /**
     * A rollout listener that notifies at this configuration's moments of a run of {@code rollout}: start,
     * approval requested, halt or cancel, completion ({@link Moment#BEFORE_WAVE} with a lead time is an
     * {@link Announcement}). Use one per rollout run.
     */
    public RolloutNotifier forRollout(Rollout rollout) {
        return new RolloutNotifier(this, Objects.requireNonNull(rollout, "rollout"));
    }

    /** The values of the secret keys among {@code inputs}, as text, to blank from notices. */
    static Set<String> secretValues(Inputs inputs) {
        Set<String> out = new LinkedHashSet<>();
        inputs.asMap().forEach((k, v) -> {
            if (k.secret() && v != null && !String.valueOf(v).isEmpty()) {
                out.add(String.valueOf(v));
            }
        });
        return out;
    }

    /** {@code inputs} as shown to people: {@code name=value}, secrets as {@code ****}. */
    static String show(Inputs inputs) {
        List<String> parts = new ArrayList<>();
        inputs.asMap().forEach((k, v) -> parts.add(k.name() + "=" + k.show(v)));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    /** {@code text} with each secret blanked in any form it can take on the wire (URL-encoded, JSON- or HTML-escaped). */
    static String scrub(String text, Collection<String> secrets) {
        return Secrets.mask(text, secrets);
    }

    private static String destinationOf(Notifier n) {
        try {
            return Objects.requireNonNullElse(n.destination(), n.getClass().getName());
        } catch (RuntimeException e) {
            return n.getClass().getName();
        }
    }

    @Override
    public String toString() {
        return "Notifications{to " + audience() + " via " + destinations() + ", on " + moments() + "}";
    }

    /**
     * Builds {@link Notifications}. {@link #build()} reports every problem (no notifier, a blank text) in one
     * {@link PlanValidationException}; a later valid value replaces a bad one. Not thread-safe; reusable.
     */
    public static final class Builder extends ImmutableNotifications.Builder {
        Builder() {
        }

        /** Values never to appear in a notice (blanked as {@code ****}), besides the secret inputs; adds to those given. */
        public Builder redact(String... values) {
            for (String v : values) {
                addRedacted(Objects.requireNonNull(v, "redacted value"));
            }
            return this;
        }
    }
}
