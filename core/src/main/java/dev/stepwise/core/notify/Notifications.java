package dev.stepwise.core.notify;

import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.internal.Redaction;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.rollout.Rollout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
 * fails the change — only a {@linkplain Announcement#required() required} announcement halts a rollout. In a
 * dry run nothing is sent; the deliveries say what would have been sent, to whom and when.
 *
 * <p>Messages are built from names, targets, statuses and redacted renderings ({@code ****} for secret inputs);
 * any secret input value the adapters see, and any value given to {@link Builder#redact}, is blanked from
 * every subject and body before it leaves — raw, URL-encoded, JSON- or HTML-escaped alike. Defaults: every moment, audience {@code "everyone affected"},
 * impact and backups {@code "not stated"}. Immutable and thread-safe; the builder copies on
 * {@link Builder#build()} and can be reused.
 *
 * <pre>{@code
 * Notifications ops = Notifications.builder(webhook).
 *     audience("production application owners").
 *     impact("each instance reboots once; connected VPN users are disconnected").
 *     backups("an AMI of every instance before it is patched").
 *     on(Moment.APPROVAL_REQUESTED, Moment.FAILED, Moment.COMPLETED).
 *     build();
 * RunResult r = Runner.create().withListener(ops.forRun(plan, inputs)).run(plan, inputs);
 * }</pre>
 */
public final class Notifications {
    private static final Logger log = LoggerFactory.getLogger(Notifications.class);

    private final List<Notifier> notifiers;
    private final Set<Moment> moments;
    private final String audience;
    private final String what;
    private final String impact;
    private final String backups;
    private final Set<String> backupSteps;
    private final Set<String> redacted;

    private Notifications(Builder b) {
        this.notifiers = List.copyOf(b.notifiers);
        this.moments = Collections.unmodifiableSet(b.moments.isEmpty() ? EnumSet.allOf(Moment.class)
                : EnumSet.copyOf(b.moments));
        this.audience = b.audience;
        this.what = b.what;
        this.impact = b.impact;
        this.backups = b.backups;
        this.backupSteps = Set.copyOf(b.backupSteps);
        this.redacted = Set.copyOf(b.redacted);
    }

    /** A builder sending through {@code notifier} and any {@code more}. */
    public static Builder builder(Notifier notifier, Notifier... more) {
        Builder b = new Builder();
        b.notifier(notifier);
        for (Notifier n : more) {
            b.notifier(n);
        }
        return b;
    }

    public List<Notifier> notifiers() {
        return notifiers;
    }

    /** The moments notices are sent at (by the run and rollout adapters). */
    public Set<Moment> moments() {
        return moments;
    }

    /** Whether notices are sent at {@code moment}. */
    public boolean isOn(Moment moment) {
        return moments.contains(moment);
    }

    public String audience() {
        return audience;
    }

    /** What the change is, for people; empty to use the plan's or rollout's own name and description. */
    public String what() {
        return what;
    }

    public String impact() {
        return impact;
    }

    public String backups() {
        return backups;
    }

    /** Steps whose success means a backup was made; the run adapter reports them. */
    public Set<String> backupSteps() {
        return backupSteps;
    }

    /** Where the notices go, for people: each notifier's destination. */
    public String destinations() {
        return String.join(", ", notifiers.stream().map(Notifications::destinationOf).toList());
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
        body.append("Expected impact: ").append(impact).append('\n');
        body.append("Backups: ").append(backups);
        Set<String> blank = new LinkedHashSet<>(redacted);
        blank.addAll(secrets);
        return new Notice(moment, severity, scrub(subject, blank), scrub(body.toString(), blank), audience,
                scrub(source, blank), at);
    }

    /**
     * Sends {@code notice} through every notifier, one after another; never throws for a notifier's failure.
     *
     * @return one delivery per notifier, in order
     */
    public List<Delivery> send(Notice notice) {
        Objects.requireNonNull(notice, "notice");
        List<Delivery> out = new ArrayList<>(notifiers.size());
        for (Notifier n : notifiers) {
            String dest = destinationOf(n);
            try {
                n.send(notice);
                out.add(new Delivery(notice, dest, Delivery.Outcome.SENT, ""));
                log.info("Sent {} notice \"{}\" to {} via {}", notice.moment(), notice.subject(), notice.audience(), dest);
            } catch (Exception | AssertionError e) {
                String why = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
                        : e.getClass().getSimpleName() + ": " + e.getMessage();
                out.add(new Delivery(notice, dest, Delivery.Outcome.FAILED, scrub(why, redacted)));
                log.warn("Could not send {} notice \"{}\" via {}: {}", notice.moment(), notice.subject(), dest,
                        scrub(why, redacted));
            }
        }
        return out;
    }

    /** What {@link #send} would do, without sending: one {@link Delivery.Outcome#DRY_RUN} delivery per notifier. */
    public List<Delivery> preview(Notice notice) {
        Objects.requireNonNull(notice, "notice");
        List<Delivery> out = notifiers.stream()
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
        return Redaction.mask(text, secrets);
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
        return "Notifications{to " + audience + " via " + destinations() + ", on " + moments + "}";
    }

    /**
     * Builds {@link Notifications}. A blank text is recorded and reported by {@link #build()} with every other
     * problem, in one {@link PlanValidationException}; a later valid value replaces it. Not thread-safe; reusable.
     */
    public static final class Builder {
        private final List<Notifier> notifiers = new ArrayList<>();
        private final Set<Moment> moments = EnumSet.noneOf(Moment.class);
        private String audience = "everyone affected";
        private String what = "";
        private String impact = "not stated";
        private String backups = "not stated";
        private final Set<String> backupSteps = new LinkedHashSet<>();
        private final Set<String> redacted = new LinkedHashSet<>();
        /** Problems found by the setters, by setting, so that a later good value clears a bad one. */
        private final Map<String, String> problems = new LinkedHashMap<>();

        private Builder() {
        }

        /** Also sends through {@code notifier}. */
        public Builder notifier(Notifier notifier) {
            notifiers.add(Objects.requireNonNull(notifier, "notifier"));
            return this;
        }

        /** Sends only at these moments (default: every moment). */
        public Builder on(Moment... moments) {
            for (Moment m : moments) {
                this.moments.add(Objects.requireNonNull(m, "moment"));
            }
            return this;
        }

        /** Who the notices are for, e.g. {@code "production application owners"}. */
        public Builder audience(String audience) {
            this.audience = text("audience", audience, this.audience);
            return this;
        }

        /** What the change is, e.g. {@code "monthly OS patches"}; default: the plan's or rollout's name. */
        public Builder what(String what) {
            this.what = text("what", what, this.what);
            return this;
        }

        /** The expected impact, e.g. {@code "each instance reboots; connected VPN users are disconnected"}. */
        public Builder impact(String impact) {
            this.impact = text("impact", impact, this.impact);
            return this;
        }

        /** The backups made before the change, e.g. {@code "an AMI of every instance"}. */
        public Builder backups(String backups) {
            this.backups = text("backups", backups, this.backups);
            return this;
        }

        /** Steps whose success means a backup was made; a plan run's notices name the ones that succeeded. */
        public Builder backupSteps(String... steps) {
            for (String s : steps) {
                backupSteps.add(Objects.requireNonNull(s, "backup step"));
            }
            return this;
        }

        /** Values never to appear in a notice (blanked as {@code ****}), besides the secret inputs. */
        public Builder redact(String... values) {
            for (String v : values) {
                redacted.add(Objects.requireNonNull(v, "redacted value"));
            }
            return this;
        }

        /**
         * The configuration.
         *
         * @throws PlanValidationException listing every problem: no notifier, a blank text
         */
        public Notifications build() {
            List<String> all = new ArrayList<>(problems.values());
            if (notifiers.isEmpty()) {
                all.add("notifiers: none given; add at least one notifier");
            }
            if (!all.isEmpty()) {
                throw new PlanValidationException("Notifications", all);
            }
            return new Notifications(this);
        }

        /** {@code value} if it is not blank; else the old value, with the problem kept for {@link #build()}. */
        private String text(String field, String value, String old) {
            Objects.requireNonNull(value, field);
            problems.remove(field);
            if (value.isBlank()) {
                problems.put(field, field + " \"" + value + "\" must not be blank");
                return old;
            }
            return value;
        }
    }
}
