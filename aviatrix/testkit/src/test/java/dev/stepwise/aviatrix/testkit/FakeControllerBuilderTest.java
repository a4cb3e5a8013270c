package dev.stepwise.aviatrix.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The fake's builder reports every bad setting at once, before anything listens. */
class FakeControllerBuilderTest {

    @Test
    void start_whenSeveralSettingsAreBad_listsEachInOneException() {
        assertThatThrownBy(() -> FakeController.builder().version("six").previousVersion("v6.4").train("6.6", "x")
                .gateway("spoke-1", "latest").inProgressPolls(-1).unavailableResponses(-2).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("FakeController: 6 problems")
                .hasMessageContaining("version \"six\" is not a controller version such as 6.5.2608")
                .hasMessageContaining("previousVersion \"v6.4\" is not a controller version")
                .hasMessageContaining("train entry \"x\" is not a controller version")
                .hasMessageContaining("gateway spoke-1 version \"latest\" is not a controller version")
                .hasMessageContaining("inProgressPolls -1 must be at least 0")
                .hasMessageContaining("unavailableResponses -2 must be at least 0");
    }

    @Test
    void start_whenABadValueIsReplacedByAGoodOne_starts() {
        try (FakeController fake = FakeController.builder().version("six").version("6.5.2608").inProgressPolls(-1)
                .inProgressPolls(0).start()) {
            org.assertj.core.api.Assertions.assertThat(fake.uri()).isNotNull();
        }
    }
}
