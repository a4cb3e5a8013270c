package dev.stepwise.aviatrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.InvalidInputException;
import dev.stepwise.core.plan.Effect;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Builder validation and the plan's shape; no controller is contacted (the client points at a closed port). */
class ControllerUpgradeBuilderTest {

    private static final BackupRequest BACKUP = BackupRequest.of(CloudType.AWS, "aws-primary", "controller-backups");

    private static AviatrixClient unreachable() {
        return AviatrixClient.builder().controller(URI.create("http://127.0.0.1:9")).allowPlainHttpOnLoopback()
                .username("admin").password("unused-Passw0rd".toCharArray()).build();
    }

    private static ControllerUpgrade.Builder valid() {
        return ControllerUpgrade.builder().client(unreachable()).train("6.5", "6.6", "6.7", "6.8").backup(BACKUP);
    }

    @Test
    void build_whenClientTrainAndBackupMissing_listsAllThree() {
        assertThatThrownBy(() -> ControllerUpgrade.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("client is not set")
                .hasMessageContaining("train is empty")
                .hasMessageContaining("backup is not set");
    }

    @Test
    void target_whenGarbage_namesTheValueAndTheAcceptedForms() {
        assertThatThrownBy(() -> ControllerUpgrade.builder().target("seven"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ControllerUpgrade target \"seven\" must be \"latest\" or a controller version")
                .hasMessageContaining("6.5.2608 (release.build)");
    }

    @Test
    void target_whenLatestOrAnyVersionForm_isAccepted() {
        for (String t : new String[] {"latest", " LATEST ", "6.8", "UserConnect-6.3-patch.2309", "8.0.1-1000.1000"}) {
            assertThat(valid().target(t).build().plan().inputs().get(0).defaultValue()).as(t).isPresent();
        }
    }

    @Test
    void train_whenAnEntryIsNotAVersion_namesIt() {
        assertThatThrownBy(() -> ControllerUpgrade.builder().train("6.5", "6.x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("train entry \"6.x\" is not a controller version");
    }

    @Test
    void gateways_whenBlank_refused() {
        assertThatThrownBy(() -> ControllerUpgrade.builder().gateways("spoke-1", " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gateway name \" \" must not be blank");
    }

    @Test
    void acceptFailingAudit_whenBlank_refused() {
        assertThatThrownBy(() -> ControllerUpgrade.builder().acceptFailingAudit(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("acceptFailingAudit account \"\" must not be blank");
    }

    @Test
    void timings_whenNotPositive_refusedNamingTheField() {
        assertThatThrownBy(() -> ControllerUpgrade.builder().pollInterval(Duration.ZERO))
                .hasMessageContaining("ControllerUpgrade pollInterval PT0S must be positive");
        assertThatThrownBy(() -> ControllerUpgrade.builder().upgradeTimeout(Duration.ofSeconds(-1)))
                .hasMessageContaining("ControllerUpgrade upgradeTimeout PT-1S must be positive");
        assertThatThrownBy(() -> ControllerUpgrade.builder().upgradeInitialDelay(Duration.ofSeconds(-1)))
                .hasMessageContaining("ControllerUpgrade upgradeInitialDelay PT-1S must not be negative");
    }

    @Test
    void nulls_toBuilderMethods_throwNpe() {
        assertThatThrownBy(() -> ControllerUpgrade.builder().client(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ControllerUpgrade.builder().backup(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ControllerUpgrade.builder().scope(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void plan_whenBuilt_hasReadOnlyPreflightAndOneMutatingStep() {
        Plan plan = valid().build().plan();

        assertThat(plan.steps()).extracting(Step::name).containsExactly(ControllerUpgrade.LOGIN_STEP,
                ControllerUpgrade.VERSION_STEP, ControllerUpgrade.BACKUP_CONFIG_STEP, ControllerUpgrade.AUDIT_STEP,
                ControllerUpgrade.GATEWAYS_STEP, ControllerUpgrade.PATH_STEP, ControllerUpgrade.UPGRADE_STEP,
                ControllerUpgrade.VERIFY_STEP);
        assertThat(plan.steps()).filteredOn(s -> s.effect() == Effect.MUTATING).extracting(Step::name)
                .containsExactly(ControllerUpgrade.UPGRADE_STEP);
        assertThat(plan.inputs()).singleElement().satisfies(i -> assertThat(i.isRequired()).isTrue());
    }

    @Test
    void resolve_whenTargetMissingOrGarbage_namesInputValueAndRule() {
        Plan plan = valid().build().plan();

        assertThatThrownBy(() -> plan.resolve(Inputs.empty()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("TargetVersion is required but was not given");
        assertThatThrownBy(() -> plan.resolve(Inputs.of(ControllerUpgrade.TARGET_VERSION, "v6.8")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("TargetVersion \"v6.8\" must be \"latest\" or a controller version");
    }

    @Test
    void toString_whenBuilt_showsSettingsAndNoPassword() {
        String text = valid().gateways("spoke-1").acceptFailingAudit("aws-sandbox").build().toString();

        assertThat(text).contains("controller=http://127.0.0.1:9").contains("gateways=[spoke-1]")
                .contains("accepting failing audit of [aws-sandbox]").doesNotContain("unused-Passw0rd");
    }

    @Test
    void gateways_whenANameLooksLikeTwo_isRefused() {
        assertThatThrownBy(() -> ControllerUpgrade.builder().gateways("spoke-1,spoke-2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gateway name \"spoke-1,spoke-2\" must not be blank and must not contain ','");
    }
}
