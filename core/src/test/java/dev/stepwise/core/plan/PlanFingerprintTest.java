package dev.stepwise.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A plan's fingerprint covers its structure, not its wording or tuning, so rewording never strands a waiting run. */
class PlanFingerprintTest {
    static final Key<String> HOST = Key.of("host", String.class);

    private static Plan plan(String wording, Effect installEffect, boolean swapped, Duration timeout) {
        Plan.Builder b = Plan.builder("patch").input(Input.required(HOST))
                .require("host is " + wording, ctx -> true);
        Step.Builder<Void> scan = Step.readOnly("scan").describedAs("scan " + wording).run(ctx -> { });
        Step.Builder<Void> install = (installEffect == Effect.MUTATING ? Step.mutating("install") : Step.readOnly("install"))
                .describedAs("install " + wording).timeout(timeout).run(ctx -> { });
        if (swapped) {
            b.step(install).step(scan);
        } else {
            b.step(scan).step(install);
        }
        return b.branch("anything " + wording + "?", ctx -> true, then -> then.step(Step.mutating("reboot").run(ctx -> { })),
                otherwise -> otherwise.end("nothing " + wording)).build();
    }

    @Test
    void fingerprint_whenOnlyDescriptionsAndTimeoutsChange_staysTheSame() {
        assertThat(plan("reworded", Effect.MUTATING, false, Duration.ofMinutes(5)).fingerprint())
                .isEqualTo(plan("as first written", Effect.MUTATING, false, Duration.ofMinutes(30)).fingerprint());
    }

    @Test
    void fingerprint_whenAnEffectOrTheOrderChanges_changes() {
        String first = plan("x", Effect.MUTATING, false, Duration.ofMinutes(5)).fingerprint();
        assertThat(plan("x", Effect.READ_ONLY, false, Duration.ofMinutes(5)).fingerprint()).isNotEqualTo(first);
        assertThat(plan("x", Effect.MUTATING, true, Duration.ofMinutes(5)).fingerprint()).isNotEqualTo(first);
    }
}
