package dev.stepwise.aws.notify;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.notify.Notice;
import dev.stepwise.core.notify.Notifier;
import dev.stepwise.core.notify.NotifyException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ses.SesClient;

/**
 * E-mails each {@link Notice} to a list through Amazon SES ({@code SendEmail}): subject as the subject, body as
 * plain UTF-8 text, sent from a verified address to every address on the list (at most 50, SES's limit per
 * message; put larger audiences behind a distribution list or use {@link SnsNotifier}).
 *
 * <p>The client is built from the {@link AwsContext} (region, endpoint, SDK retries, credentials) and closed
 * by {@link #close()}; SDK retries are the only retries. Hand-written rather than generated because it owns that
 * client. Immutable and thread-safe; the builder is not.
 *
 * <pre>{@code
 * SesNotifier mail = SesNotifier.builder(aws).
 *     from("maintenance@example.com").
 *     to("app-owners@example.com", "service-desk@example.com").
 *     build();
 * }</pre>
 */
public final class SesNotifier implements Notifier, AutoCloseable {
    /** SES's limit on recipients per message. */
    public static final int MAX_RECIPIENTS = 50;
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>\"]+@[^@\\s<>\"]+\\.[^@\\s<>\"]+");

    private final AwsContext aws;
    private final String from;
    private final List<String> to;
    private final SesClient ses;

    private SesNotifier(AwsContext aws, String from, List<String> to, SesClient ses) {
        this.aws = aws;
        this.from = from;
        this.to = List.copyOf(to);
        this.ses = ses;
    }

    /** A builder with a client made from {@code aws}. */
    public static Builder builder(AwsContext aws) {
        return new Builder(Objects.requireNonNull(aws, "aws"));
    }

    /**
     * A builder holding this notifier's context, sender and recipients, for a variant
     * ({@code mail.toBuilder().to("dba@example.com").build()} adds a recipient); what it builds has its own client.
     */
    public Builder toBuilder() {
        return new Builder(aws).from(from).to(to);
    }

    public String from() {
        return from;
    }

    public List<String> to() {
        return to;
    }

    @Override
    public void send(Notice notice) {
        Objects.requireNonNull(notice, "notice");
        try {
            ses.sendEmail(r -> r.source(from).destination(d -> d.toAddresses(to))
                    .message(m -> m.subject(c -> c.data(notice.subject()).charset("UTF-8"))
                            .body(b -> b.text(c -> c.data(notice.body()).charset("UTF-8")))));
        } catch (SdkException e) {
            throw new NotifyException("SES e-mail from " + from + " to " + to.size() + " address(es) failed: "
                    + e.getMessage(), e);
        }
    }

    /** {@code "e-mail to a@example.com, b@example.com via SES from ops@example.com"}. */
    @Override
    public String destination() {
        return "e-mail to " + String.join(", ", to) + " via SES from " + from;
    }

    @Override
    public void close() {
        ses.close();
    }

    @Override
    public String toString() {
        return "SesNotifier{" + destination() + "}";
    }

    /** Builds an {@link SesNotifier}. Not thread-safe. */
    public static final class Builder {
        private final AwsContext aws;
        private String from;
        private final Set<String> to = new LinkedHashSet<>();

        private Builder(AwsContext aws) {
            this.aws = aws;
        }

        /** The sender: an address or domain verified in SES. */
        public Builder from(String address) {
            this.from = Objects.requireNonNull(address, "from");
            return this;
        }

        /** Adds recipients. */
        public Builder to(String... addresses) {
            for (String a : addresses) {
                to.add(Objects.requireNonNull(a, "to"));
            }
            return this;
        }

        /** Adds recipients. */
        public Builder to(List<String> addresses) {
            return to(addresses.toArray(String[]::new));
        }

        /**
         * The notifier.
         *
         * @throws PlanValidationException naming every problem: no sender, no recipient, more than 50, an
         *                                 address that is not {@code local@domain}
         */
        public SesNotifier build() {
            List<String> problems = new ArrayList<>();
            if (from == null) {
                problems.add("from: none given; set the verified sender address");
            } else if (!ADDRESS.matcher(from).matches()) {
                problems.add("from \"" + from + "\" is not an e-mail address (local@domain)");
            }
            if (to.isEmpty()) {
                problems.add("to: none given; add at least one recipient");
            }
            if (to.size() > MAX_RECIPIENTS) {
                problems.add("to: " + to.size() + " addresses, more than SES's " + MAX_RECIPIENTS
                        + " per message; use a distribution list or an SNS topic");
            }
            for (String a : to) {
                if (!ADDRESS.matcher(a).matches()) {
                    problems.add("to \"" + a + "\" is not an e-mail address (local@domain)");
                }
            }
            if (!problems.isEmpty()) {
                throw new PlanValidationException("SesNotifier", problems);
            }
            return new SesNotifier(aws, from, new ArrayList<>(to),
                    aws.configure(SesClient.builder()).credentialsProvider(aws.credentials()).build());
        }
    }
}
