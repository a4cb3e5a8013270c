package dev.stepwise.aws.notify;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.notify.Notice;
import dev.stepwise.core.notify.Notifier;
import dev.stepwise.core.notify.NotifyException;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * Publishes each {@link Notice} to an Amazon SNS topic: the subject as the SNS subject (shortened to SNS's 100
 * characters, on one line), subject and body as the message, and the moment, severity and audience as string
 * message attributes {@code stepwise.moment}, {@code stepwise.severity} and {@code stepwise.audience}, so
 * subscriptions can filter on them.
 *
 * <p>The client is built from the {@link AwsContext} (region, endpoint, SDK retries, credentials) and closed
 * by {@link #close()}; SDK retries are the only retries. Thread-safe.
 *
 * <pre>{@code
 * try (SnsNotifier ops = SnsNotifier.create(aws, "arn:aws:sns:eu-west-1:123456789012:maintenance")) {
 *     Notifications n = Notifications.builder(ops).audience("production application owners").build();
 * }
 * }</pre>
 */
public final class SnsNotifier implements Notifier, AutoCloseable {
    /** An SNS topic ARN, standard or FIFO. */
    static final Pattern TOPIC_ARN = Pattern.compile("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?");
    private static final int MAX_SUBJECT = 100;

    private final String topicArn;
    private final SnsClient sns;

    private SnsNotifier(String topicArn, SnsClient sns) {
        this.topicArn = topicArn;
        this.sns = sns;
    }

    /**
     * A notifier publishing to {@code topicArn} with a client made from {@code aws}.
     *
     * @throws PlanValidationException if {@code topicArn} is not an SNS topic ARN
     */
    public static SnsNotifier create(AwsContext aws, String topicArn) {
        Objects.requireNonNull(aws, "aws");
        Objects.requireNonNull(topicArn, "topicArn");
        if (!TOPIC_ARN.matcher(topicArn).matches()) {
            throw new PlanValidationException("SnsNotifier", List.of("topicArn \"" + topicArn + "\" does not match "
                    + TOPIC_ARN.pattern() + " (arn:aws:sns:<region>:<12-digit account>:<topic name>)"));
        }
        return new SnsNotifier(topicArn, aws.configure(SnsClient.builder()).credentialsProvider(aws.credentials()).build());
    }

    public String topicArn() {
        return topicArn;
    }

    @Override
    public void send(Notice notice) {
        Objects.requireNonNull(notice, "notice");
        try {
            sns.publish(r -> r.topicArn(topicArn).subject(subject(notice.subject())).message(notice.text())
                    .messageAttributes(java.util.Map.of(
                            "stepwise.moment", attribute(notice.moment().name()),
                            "stepwise.severity", attribute(notice.severity().name()),
                            "stepwise.audience", attribute(notice.audience()))));
        } catch (SdkException e) {
            throw new NotifyException("SNS publish to " + topicArn + " failed: " + e.getMessage(), e);
        }
    }

    /** {@code "SNS topic <arn>"}. */
    @Override
    public String destination() {
        return "SNS topic " + topicArn;
    }

    @Override
    public void close() {
        sns.close();
    }

    @Override
    public String toString() {
        return "SnsNotifier{" + topicArn + "}";
    }

    /** SNS subjects are one line of at most 100 printable ASCII characters. */
    static String subject(String s) {
        String one = s.replaceAll("[\\r\\n\\t]+", " ").replaceAll("[^\\x20-\\x7E]", "?").trim();
        return one.length() <= MAX_SUBJECT ? one : one.substring(0, MAX_SUBJECT - 3) + "...";
    }

    private static MessageAttributeValue attribute(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
