package dev.stepwise.aviatrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.StepwiseException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every exception the Aviatrix provider throws on purpose is a {@link StepwiseException}. */
class AviatrixExceptionsTest {

    @Test
    void aviatrixApiException_isAStepwiseException_keepingActionAndReason() {
        AviatrixApiException e = new AviatrixApiException("upgrade", "skipping a release is not allowed");

        assertThat(e).isInstanceOf(AviatrixException.class).isInstanceOf(StepwiseException.class);
        assertThat(e.action()).isEqualTo("upgrade");
        assertThat(e.reason()).isEqualTo("skipping a release is not allowed");
    }

    @Test
    void aviatrixTransportException_isAStepwiseException_keepingItsCause() {
        java.io.IOException cause = new java.io.IOException("connection refused");
        AviatrixTransportException e = new AviatrixTransportException("login", "controller unreachable", cause);

        assertThat(e).isInstanceOf(AviatrixException.class).isInstanceOf(StepwiseException.class).hasCause(cause);
        assertThat(e.action()).isEqualTo("login");
    }

    @Test
    void aviatrixTimeoutException_isAStepwiseException() {
        assertThat(new AviatrixTimeoutException("platform_upgrade_status", "not complete after 180 polls"))
                .isInstanceOf(AviatrixException.class).isInstanceOf(StepwiseException.class)
                .hasMessage("not complete after 180 polls");
    }

    @Test
    void controllerUpgradeException_isAStepwiseException_keepingReportAndReason() {
        ControllerVersion v = ControllerVersion.parse("6.5.2608");
        UpgradeReport report = UpgradeReport.builder(v, ControllerVersion.parse("6.6")).hopsPlanned(1).build();
        ControllerUpgradeException e = new ControllerUpgradeException("Hop 1 of 1 failed", report, "disk full", null);

        assertThat(e).isInstanceOf(StepwiseException.class).hasMessage("Hop 1 of 1 failed");
        assertThat(e.report()).contains(report);
        assertThat(e.controllerReason()).contains("disk full");
    }

    @Test
    void upgradePathException_isAPlanValidationException_keepingItsKind() {
        UpgradePathException e = new UpgradePathException(UpgradePathException.Kind.GAP_IN_TRAIN, "no 6.7 in the train");

        assertThat(e).isInstanceOf(PlanValidationException.class).isInstanceOf(StepwiseException.class)
                .isNotInstanceOf(IllegalArgumentException.class).hasMessage("UpgradePath: no 6.7 in the train");
        assertThat(e.kind()).isEqualTo(UpgradePathException.Kind.GAP_IN_TRAIN);
        assertThat(e.problems()).containsExactly("no 6.7 in the train");
    }
}
