package dev.stepwise.aws.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValuesTest {

    @Test
    void managedInstance_whenIdMalformed_rejectsNamingValueAndRule() {
        assertThatThrownBy(() -> ManagedInstance.windows("i-12"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("InstanceId \"i-12\" does not match (i|mi)-[0-9a-f]{8,17}");
    }

    @Test
    void managedInstance_whenPlatformUnknown_rejectsIt() {
        assertThatThrownBy(() -> ManagedInstance.PlatformType.parse("Solaris"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PlatformType \"Solaris\" is not one of Windows, Linux, MacOS");
    }

    @Test
    void managedInstance_whenBuiltFromDefaults_isOnlineWithLatestAgent() {
        ManagedInstance m = ManagedInstance.of("mi-0123456789abcdef0", ManagedInstance.PlatformType.parse("linux"));

        assertThat(m.pingStatus()).isEqualTo(ManagedInstance.PingStatus.ONLINE);
        assertThat(m.latestAgent()).isTrue();
        assertThat(m.platformType().wireName()).isEqualTo("Linux");
    }

    @Test
    void commandOutcome_whenPollsNegative_rejectsThem() {
        assertThatThrownBy(() -> CommandOutcome.success().afterPolls(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("afterPolls -1 is negative; it must be 0 or more");
        assertThatThrownBy(() -> CommandOutcome.success().invocationDoesNotExistForPolls(-2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invocationDoesNotExistForPolls -2");
    }

    @Test
    void commandOutcome_whenCopied_keepsEveryField() {
        CommandOutcome o = CommandOutcome.failed("out", 7).withStandardError("err").afterPolls(2)
                .invocationDoesNotExistForPolls(1);

        assertThat(o.status()).isEqualTo(CommandOutcome.Status.FAILED);
        assertThat(o.exitCode()).isEqualTo(7);
        assertThat(o.errorOutput()).isEqualTo("err");
        assertThat(o.polls()).isEqualTo(2);
        assertThat(o.invocationDoesNotExistPolls()).isEqualTo(1);
        assertThat(o).isEqualTo(CommandOutcome.failed("out", 7).withStandardError("err").afterPolls(2)
                .invocationDoesNotExistForPolls(1));
        assertThat(o.toString()).contains("Failed", "exitCode=7");
    }

    @Test
    void automationOutcome_whenOutputsAdded_keepsThemAsLists() {
        AutomationOutcome o = AutomationOutcome.success().withOutput("runScriptForLinux.Output", "ok").afterPolls(1);

        assertThat(o.outputs()).containsEntry("runScriptForLinux.Output", List.of("ok"));
        assertThat(o.polls()).isEqualTo(1);
    }

    @Test
    void patch_whenKbIdBlank_rejectsIt() {
        assertThatThrownBy(() -> Patch.missing(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("KBId \" \" is blank; it must name the patch");
    }

    @Test
    void scenario_whenPatchListedTwice_rejectsTheList() {
        try (FillInProxy proxy = FillInProxy.start(java.net.URI.create("http://127.0.0.1:9"))) {
            assertThatThrownBy(() -> proxy.scenario().patches("i-0123456789abcdef0",
                    Patch.missing("KB1"), Patch.installed("KB1")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("name a KBId more than once");
        }
    }

    @Test
    void faults_whenCountOrRateOutOfRange_rejectThem() {
        try (FillInProxy proxy = FillInProxy.start(java.net.URI.create("http://127.0.0.1:9"))) {
            assertThatThrownBy(() -> proxy.faults().throttle("SendCommand").times(0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("times 0 is less than 1");
            assertThatThrownBy(() -> proxy.faults().throttle("SendCommand").rate(1.5, 1L))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("rate 1.5 is outside (0, 1]");
            assertThatThrownBy(() -> proxy.faults().latency("SendCommand", Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("latency PT0S is not positive");
            assertThatThrownBy(() -> proxy.faults().throttle(" "))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("operation \" \" is blank");
        }
    }

    @Test
    void fillInProxy_whenUpstreamNotHttp_rejectsIt() {
        assertThatThrownBy(() -> FillInProxy.start(java.net.URI.create("ftp://moto:21")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("upstream \"ftp://moto:21\" is not an http://host:port URI");
    }
}
