package dev.stepwise.aviatrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.PlanValidationException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AviatrixClientBuilderTest {

    private static AviatrixClient.Builder valid() {
        return AviatrixClient.builder().controller(URI.create("https://controller.example.com")).username("admin")
                .password("s3cret-Pw".toCharArray());
    }

    @Test
    void build_whenHttps_printsControllerUserAndNoSession() {
        AviatrixClient client = valid().build();

        assertThat(client.controller()).isEqualTo(URI.create("https://controller.example.com"));
        assertThat(client.toString()).contains("https://controller.example.com").contains("admin")
                .contains("session=none");
    }

    @Test
    void build_whenPlainHttpToRemoteHost_throwsNamingRule() {
        assertThatThrownBy(() -> valid().controller(URI.create("http://controller.example.com")).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("\"http://controller.example.com\"")
                .hasMessageContaining("must use https");
    }

    @Test
    void build_whenPlainHttpToRemoteHostEvenWithLoopbackFlag_throws() {
        assertThatThrownBy(() -> valid().controller(URI.create("http://10.1.2.3")).allowPlainHttpOnLoopback().build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("loopback");
    }

    @Test
    void build_whenPlainHttpToLoopbackWithoutFlag_throws() {
        assertThatThrownBy(() -> valid().controller(URI.create("http://127.0.0.1:8080")).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("allowPlainHttpOnLoopback()");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9000"})
    void build_whenPlainHttpToLoopbackWithFlag_builds(String uri) {
        assertThat(valid().controller(URI.create(uri)).allowPlainHttpOnLoopback().build().controller())
                .isEqualTo(URI.create(uri));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://c.example.com/v2/api", "https://c.example.com?x=1", "https://u:p@c.example.com",
        "https://c.example.com#f"})
    void build_whenControllerNotBare_throwsNamingRule(String uri) {
        assertThatThrownBy(() -> valid().controller(URI.create(uri)).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("without path, query, fragment or user info")
                .hasMessageNotContaining("u:p");
    }

    @Test
    void build_whenControllerRelative_throws() {
        assertThatThrownBy(() -> valid().controller(URI.create("controller.example.com")).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("\"controller.example.com\"")
                .hasMessageContaining("absolute");
    }

    @Test
    void build_whenFtpScheme_throws() {
        assertThatThrownBy(() -> valid().controller(URI.create("ftp://c.example.com")).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("must use https");
    }

    @Test
    void build_whenPasswordMissing_throwsNamingIt() {
        assertThatThrownBy(() -> AviatrixClient.builder().controller(URI.create("https://c")).username("a").build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("password is not set");
    }

    @Test
    void build_whenControllerMissing_throwsNamingIt() {
        assertThatThrownBy(() -> AviatrixClient.builder().username("a").password("p".toCharArray()).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("controller is not set");
    }

    @Test
    void build_whenUsernameBlank_throwsNamingIt() {
        assertThatThrownBy(() -> valid().username("  ").build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("username \"  \" must not be blank");
    }

    @Test
    void build_whenPasswordEmpty_throws() {
        assertThatThrownBy(() -> valid().password(new char[0]).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("password is empty");
    }

    @Test
    void password_whenNull_throwsNullPointer() {
        assertThatThrownBy(() -> valid().password((char[]) null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void build_whenDurationsNotPositive_throwNamingSettingAndValue() {
        assertThatThrownBy(() -> valid().connectTimeout(Duration.ZERO).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("connectTimeout PT0S must be positive");
        assertThatThrownBy(() -> valid().unavailableRetryInterval(Duration.ofSeconds(-1)).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("unavailableRetryInterval PT-1S must not be negative");
        assertThatThrownBy(() -> valid().unavailableRetries(-2).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("unavailableRetries -2 must be at least 0");
    }

    @Test
    void build_whenCallerClearsPasswordArray_keepsItsCopy() {
        char[] chars = "s3cret-Pw".toCharArray();
        Secret secret = Secret.of(chars);

        java.util.Arrays.fill(chars, '\0');

        assertThat(secret.reveal()).containsExactly("s3cret-Pw".toCharArray());
        assertThat(secret).hasToString("****");
    }

    @Test
    void build_whenControllerHasUserInfo_isRefusedWithoutEchoingThePassword() {
        for (String address : List.of("https://admin:p@ss@ctrl.example.com", "https://admin:s3cret@ctrl_1.example.com",
                "https://admin:s3cret@ctrl.example.com")) {
            assertThatThrownBy(() -> AviatrixClient.builder().controller(URI.create(address)).build())
                    .isInstanceOf(PlanValidationException.class)
                    .hasMessageContaining("without path, query, fragment or user info")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret").doesNotContain("p@ss"));
        }
    }

    @Test
    void build_whenEverySettingIsBad_listsEachInOneException() {
        assertThatThrownBy(() -> AviatrixClient.builder().controller(URI.create("https://c.example.com/v2/api"))
                .username(" ").password(new char[0]).connectTimeout(Duration.ZERO).unavailableRetries(-1)
                .unavailableRetryInterval(Duration.ofSeconds(-1)).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageStartingWith("AviatrixClient: 6 problems")
                .hasMessageContaining("controller \"https://c.example.com...\" must be a bare https://host[:port]")
                .hasMessageContaining("username \" \" must not be blank")
                .hasMessageContaining("password is empty")
                .hasMessageContaining("connectTimeout PT0S must be positive")
                .hasMessageContaining("unavailableRetries -1 must be at least 0")
                .hasMessageContaining("unavailableRetryInterval PT-1S must not be negative");
    }

    @Test
    void build_whenMissingEverything_namesControllerUsernameAndPassword() {
        assertThatThrownBy(() -> AviatrixClient.builder().build())
                .isInstanceOf(PlanValidationException.class)
                .satisfies(e -> assertThat(((PlanValidationException) e).problems()).containsExactly(
                        "controller is not set: give https://host[:port]", "username is not set", "password is not set"));
    }

    @Test
    void build_whenABadValueIsReplacedByAGoodOne_builds() {
        assertThat(valid().username(" ").username("admin").connectTimeout(Duration.ZERO)
                .connectTimeout(Duration.ofSeconds(5)).build().controller())
                .isEqualTo(URI.create("https://controller.example.com"));
    }

    @Test
    void secretOf_whenEmpty_isRefused() {
        assertThatThrownBy(() -> Secret.of("")).isInstanceOf(PlanValidationException.class)
                .hasMessage("Secret: value is empty: a password or token needs at least one character");
    }
}
