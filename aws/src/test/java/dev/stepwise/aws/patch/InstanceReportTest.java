package dev.stepwise.aws.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Instance reports can be built by tests of code that reads them, without a positional constructor. */
class InstanceReportTest {

    @Test
    void builder_withOnlyWaveAndInstance_givesASucceededReportWithNothingInIt() {
        InstanceReport r = InstanceReport.builder("production", "i-0123456789abcdef0").build();

        assertThat(r.succeeded()).isTrue();
        assertThat(r.before()).isEmpty();
        assertThat(r.installed()).isEmpty();
        assertThat(r.toString()).isEqualTo("production i-0123456789abcdef0 SUCCEEDED");
    }

    @Test
    void toBuilder_changesOnlyWhatIsSet() {
        InstanceReport r = InstanceReport.builder("production", "i-0123456789abcdef0").platform("Windows")
                .backupImage("ami-0123456789abcdef0").build();

        InstanceReport failed = r.toBuilder().status("FAILED").reason("Install failed").build();

        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.toString()).isEqualTo("production i-0123456789abcdef0 (Windows) FAILED; backup "
                + "ami-0123456789abcdef0; Install failed");
    }

    @Test
    void builder_whenGivenNull_throwsNpe() {
        assertThatThrownBy(() -> InstanceReport.builder("production", null)).isInstanceOf(NullPointerException.class);
    }
}
