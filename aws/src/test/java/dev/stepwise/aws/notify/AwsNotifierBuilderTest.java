package dev.stepwise.aws.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.core.PlanValidationException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class AwsNotifierBuilderTest {
    private final AwsContext aws = AwsContext.builder().region("eu-west-1")
            .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).build();

    @AfterEach
    void close() {
        aws.close();
    }

    @Test
    void snsCreate_whenTheArnIsNotATopicArn_throwsNamingTheValueAndTheRule() {
        assertThatThrownBy(() -> SnsNotifier.create(aws, "arn:aws:sqs:eu-west-1:123456789012:queue"))
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("topicArn \"arn:aws:sqs:eu-west-1:123456789012:queue\" does not match");
    }

    @Test
    void snsCreate_withATopicArn_showsTheTopicAsDestination() {
        try (SnsNotifier sns = SnsNotifier.create(aws, "arn:aws:sns:eu-west-1:123456789012:maintenance")) {
            assertThat(sns.destination()).isEqualTo("SNS topic arn:aws:sns:eu-west-1:123456789012:maintenance");
        }
    }

    @Test
    void snsSubject_whenLongOrMultiLine_isOneLineOfAtMost100Characters() {
        String s = SnsNotifier.subject("Planned change:\nwave production — " + "x".repeat(200));

        assertThat(s).hasSize(100).doesNotContain("\n").startsWith("Planned change: wave production ? x").endsWith("...");
    }

    @Test
    void sesToBuilder_keepsSenderAndRecipientsAndAddsMore() {
        try (SesNotifier mail = SesNotifier.builder(aws).from("ops@example.com").to("a@example.com").build();
             SesNotifier more = mail.toBuilder().to("b@example.com").build()) {
            assertThat(more.from()).isEqualTo("ops@example.com");
            assertThat(more.to()).containsExactly("a@example.com", "b@example.com");
        }
    }

    @Test
    void sesBuild_withoutSenderOrRecipients_throwsNamingBoth() {
        assertThatThrownBy(() -> SesNotifier.builder(aws).build()).isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("from: none given").hasMessageContaining("to: none given");
    }

    @Test
    void sesBuild_withABadAddressOrTooManyRecipients_throwsNamingThem() {
        String[] many = IntStream.range(0, 51).mapToObj(i -> "u" + i + "@example.com").toArray(String[]::new);

        assertThatThrownBy(() -> SesNotifier.builder(aws).from("ops@example.com").to("not-an-address").to(many).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("to \"not-an-address\" is not an e-mail address")
                .hasMessageContaining("52 addresses, more than SES's 50 per message");
    }

    @Test
    void sesBuild_withSenderAndList_showsWhomItMails() {
        try (SesNotifier ses = SesNotifier.builder(aws).from("ops@example.com").to("a@example.com", "b@example.com")
                .build()) {
            assertThat(ses.destination()).isEqualTo("e-mail to a@example.com, b@example.com via SES from ops@example.com");
        }
    }
}
