package dev.stepwise.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.PlanValidationException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotificationsBuilderTest {
    private final Recorder chat = Recorder.working("chat");

    @Test
    void build_withDefaults_notifiesEveryoneAffectedAtEveryMoment() {
        Notifications n = Notifications.builder(chat).build();

        assertThat(n.moments()).containsExactlyInAnyOrder(Moment.values());
        assertThat(n.audience()).isEqualTo("everyone affected");
        assertThat(n.impact()).isEqualTo("not stated");
        assertThat(n.toString()).isEqualTo("Notifications{to everyone affected via chat, on " + n.moments() + "}");
    }

    @Test
    void build_whenAudienceBlank_throwsNamingTheField() {
        assertThatThrownBy(() -> Notifications.builder(chat).audience(" ").build())
                .isInstanceOf(PlanValidationException.class).hasMessageContaining("audience \" \" must not be blank");
    }

    @Test
    void build_whenSeveralTextsBlank_listsEachInOneException() {
        assertThatThrownBy(() -> Notifications.builder(chat).audience(" ").impact("").backups("\t").build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("Notifications: 3 problems")
                .hasMessageContaining("audience \" \" must not be blank")
                .hasMessageContaining("impact \"\" must not be blank")
                .hasMessageContaining("backups \"\t\" must not be blank");
    }

    @Test
    void build_whenBlankTextReplacedByAGoodOne_builds() {
        assertThat(Notifications.builder(chat).audience(" ").audience("owners").build().audience()).isEqualTo("owners");
    }

    @Test
    void builder_whenNotifierIsNull_throwsNpe() {
        assertThatThrownBy(() -> Notifications.builder(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("notifier");
    }

    @Test
    void compose_withRedactedValue_blanksItEverywhere() {
        Notifications n = Notifications.builder(chat).redact("hunter2").impact("none for hunter2").build();

        Notice notice = n.compose(Moment.COMPLETED, Severity.INFO, "done hunter2", "run hunter2", Instant.EPOCH,
                List.of("What: hunter2"), List.of());

        assertThat(notice.subject() + notice.body() + notice.source()).doesNotContain("hunter2").contains("****");
    }

    @Test
    void leadTime_whenNegative_throwsNamingTheValue() {
        Announcement.Builder a = Announcement.to(Notifications.builder(chat).build()).leadTime(Duration.ofHours(-1));

        assertThatThrownBy(a::build).isInstanceOf(PlanValidationException.class)
                .hasMessage("Announcement: leadTime PT-1H must not be negative");
    }

    @Test
    void description_whenRequiredWithLeadTime_saysToWhomHowFarAheadAndThatItIsRequired() {
        Announcement a = Announcement.to(Notifications.builder(chat).audience("owners").build())
                .leadTime(Duration.ofHours(24)).required().build();

        assertThat(a.description()).isEqualTo("tell owners via chat, 1 d 00 h ahead (required)");
    }

    @Test
    void webhookBuild_whenHttpToARemoteHost_throwsAskingForHttps() {
        assertThatThrownBy(() -> WebhookNotifier.builder(URI.create("http://chat.example.com/hooks/T1/abc"))
                .allowLoopbackHttp().build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("webhook URL webhook http://chat.example.com/… must use https")
                .hasMessageNotContaining("abc");
    }

    @Test
    void webhookBuild_whenHttpToLoopbackWithoutTheOption_throws() {
        assertThatThrownBy(() -> WebhookNotifier.builder(URI.create("http://127.0.0.1:8080/hook")).build())
                .isInstanceOf(PlanValidationException.class).hasMessageContaining("allowLoopbackHttp()");
    }

    @Test
    void webhookBuild_whenHttpsOrLoopbackAllowed_builds() {
        assertThat(WebhookNotifier.builder(URI.create("https://chat.example.com/hooks/T1/secret-path")).build()
                .destination()).isEqualTo("webhook https://chat.example.com/…");
        assertThat(WebhookNotifier.builder(URI.create("http://127.0.0.1:8080/hook")).allowLoopbackHttp().build()
                .destination()).isEqualTo("webhook http://127.0.0.1:8080/…");
    }

    @Test
    void webhookBuild_whenSchemeIsNeitherHttpNorHttps_throws() {
        assertThatThrownBy(() -> WebhookNotifier.builder(URI.create("ftp://chat.example.com/x")).build())
                .isInstanceOf(PlanValidationException.class).hasMessageContaining("scheme \"ftp\" must be https");
    }

    @Test
    void webhookBuild_whenHeaderHasALineBreakInItsValue_isRefusedWithoutShowingTheValue() {
        assertThatThrownBy(() -> WebhookNotifier.builder(URI.create("https://chat.example.com/hook"))
                .header("Authorization", "Bearer s3cr3t-token\n").build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("webhook header \"Authorization\"")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t-token"));
        assertThatThrownBy(() -> WebhookNotifier.builder(URI.create("https://chat.example.com/hook")).header("Host", "x")
                .build())
                .isInstanceOf(PlanValidationException.class).hasMessageContaining("webhook header \"Host\"");
    }

    @Test
    void webhookBuild_whenSchemeHeaderAndTimeoutAreBad_listsEachInOneException() {
        assertThatThrownBy(() -> WebhookNotifier.builder(URI.create("ftp://chat.example.com/hook"))
                .header("Host", "x").timeout(Duration.ZERO).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("WebhookNotifier: 3 problems")
                .hasMessageContaining("scheme \"ftp\" must be https")
                .hasMessageContaining("webhook header \"Host\" is not allowed")
                .hasMessageContaining("webhook timeout PT0S must be positive");
    }

    @Test
    void webhookBuild_whenBadHeaderReplacedByAGoodOne_builds() {
        assertThat(WebhookNotifier.builder(URI.create("https://chat.example.com/hook"))
                .header("Authorization", "a\nb").header("Authorization", "Bearer t").build().toString())
                .contains("1 header(s)");
    }

    @Test
    void noticeBuild_whenASettingIsMissing_throwsPlanValidationExceptionNamingIt() {
        assertThatThrownBy(() -> Notice.builder().moment(Moment.COMPLETED).severity(Severity.INFO).subject("done")
                .body("").audience("owners").source("run r-1").build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessage("Cannot build Notice, some of required attributes are not set [at]");
    }

    @Test
    void noticeBuild_whenSubjectBlank_isRefused() {
        assertThatThrownBy(() -> Notice.builder().moment(Moment.COMPLETED).severity(Severity.INFO).subject(" ")
                .body("").audience("owners").source("run r-1").at(Instant.EPOCH).build())
                .isInstanceOf(PlanValidationException.class).hasMessage("Notice: subject \" \" must not be blank");
    }

    @Test
    void toBuilder_whenBuiltUnchanged_givesEqualValues() {
        Notifications n = Notifications.builder(chat).audience("owners").addMoments(Moment.FAILED).addBackupSteps("ami")
                .redact("hunter2").build();
        Announcement a = Announcement.to(n).leadTime(Duration.ofHours(2)).required().build();
        WebhookNotifier w = WebhookNotifier.builder(URI.create("https://chat.example.com/hook")).header("X-Team", "ops")
                .retry(r -> r.maxAttempts(5)).build();

        assertThat(n.toBuilder().build()).isEqualTo(n);
        assertThat(n.toBuilder().audience("everyone").build().moments()).containsExactly(Moment.FAILED);
        assertThat(a.toBuilder().build()).isEqualTo(a);
        assertThat(w.toBuilder().build()).isEqualTo(w).hasToString(w.toString());
        assertThat(w.retry().maxAttempts()).isEqualTo(5);
    }

    @Test
    void webhookBuild_whenTheRetryCustomiserMakesABadPolicy_listsItWithTheOtherProblems() {
        assertThatThrownBy(() -> WebhookNotifier.builder(URI.create("ftp://chat.example.com/hook"))
                .retry(r -> r.jitter(2)).build())
                .isInstanceOf(PlanValidationException.class)
                .satisfies(e -> assertThat(((PlanValidationException) e).problems()).containsExactly(
                        "webhook URL scheme \"ftp\" must be https",
                        "retry: jitter 2.0 must be at least 0 and below 1"));
    }
}
