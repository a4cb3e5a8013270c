package dev.stepwise.aviatrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.InvalidInputException;
import dev.stepwise.core.PlanValidationException;
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
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("client is not set")
                .hasMessageContaining("train is empty")
                .hasMessageContaining("backup is not set");
    }

    @Test
    void build_whenTargetGarbage_namesTheValueAndTheAcceptedForms() {
        assertThatThrownBy(() -> valid().target("seven").build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("ControllerUpgrade: target \"seven\" must be \"latest\" or a controller version")
                .hasMessageContaining("6.5.2608 (release.build)");
    }

    @Test
    void target_whenLatestOrAnyVersionForm_isAccepted() {
        for (String t : new String[] {"latest", " LATEST ", "6.8", "UserConnect-6.3-patch.2309", "8.0.1-1000.1000"}) {
            assertThat(valid().target(t).build().plan().inputs().get(0).defaultValue()).as(t).isPresent();
        }
    }

    @Test
    void build_whenATrainEntryIsNotAVersion_namesIt() {
        assertThatThrownBy(() -> valid().train("6.5", "6.x").build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("train entry \"6.x\" is not a controller version");
    }

    @Test
    void build_whenAGatewayIsBlank_refused() {
        assertThatThrownBy(() -> valid().gateways("spoke-1", " ").build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("gateway name \" \" must not be blank");
    }

    @Test
    void build_whenAnAcceptedAuditAccountIsBlank_refused() {
        assertThatThrownBy(() -> valid().acceptFailingAudit("").build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("acceptFailingAudit account \"\" must not be blank");
    }

    @Test
    void build_whenTimingsNotPositive_refusedNamingTheField() {
        assertThatThrownBy(() -> valid().pollInterval(Duration.ZERO).build()).isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("ControllerUpgrade: pollInterval PT0S must be positive");
        assertThatThrownBy(() -> valid().upgradeTimeout(Duration.ofSeconds(-1)).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("ControllerUpgrade: upgradeTimeout PT-1S must be positive");
        assertThatThrownBy(() -> valid().upgradeInitialDelay(Duration.ofSeconds(-1)).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("ControllerUpgrade: upgradeInitialDelay PT-1S must not be negative");
    }

    @Test
    void nulls_toBuilderMethods_throwNpe() {
        assertThatThrownBy(() -> ControllerUpgrade.builder().client(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ControllerUpgrade.builder().backup((BackupRequest) null)).isInstanceOf(NullPointerException.class);
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
    void build_whenAGatewayNameLooksLikeTwo_isRefused() {
        assertThatThrownBy(() -> valid().gateways("spoke-1,spoke-2").build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("gateway name \"spoke-1,spoke-2\" must not be blank and must not contain ','");
    }

    @Test
    void build_whenEverySettingIsBad_listsEachInOneException() {
        assertThatThrownBy(() -> ControllerUpgrade.builder().name("bad name").target("seven").train("6.x")
                .gateways(" ").acceptFailingAudit("").pollInterval(Duration.ZERO).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageStartingWith("ControllerUpgrade: 8 problems")
                .satisfies(e -> assertThat(((PlanValidationException) e).problems()).containsExactly(
                        "name \"bad name\" does not match [A-Za-z0-9][A-Za-z0-9_.-]{0,127} (a plan's name)",
                        "target \"seven\" must be \"latest\" or a controller version (" + ControllerVersion.ACCEPTED_FORMS
                                + ")",
                        "train entry \"6.x\" is not a controller version; accepted forms: "
                                + ControllerVersion.ACCEPTED_FORMS,
                        "gateway name \" \" must not be blank and must not contain ',' or spaces (the controller takes a "
                                + "comma-separated list)",
                        "acceptFailingAudit account \"\" must not be blank",
                        "pollInterval PT0S must be positive",
                        "client is not set: give the controller's AviatrixClient",
                        "backup is not set: give the BackupRequest every hop backs up with"));
    }

    @Test
    void build_whenABadValueIsReplacedByAGoodOne_builds() {
        assertThat(valid().target("seven").target("6.8").pollInterval(Duration.ZERO).pollInterval(Duration.ofSeconds(5))
                .build().plan().inputs().get(0).defaultValue().map(Object::toString)).hasValue("6.8");
    }

    @Test
    void backup_whenBuiltInPlaceWithoutABucket_isReportedAtBuildWithTheOtherProblems() {
        assertThatThrownBy(() -> ControllerUpgrade.builder().client(unreachable()).train("6.5", "6.8").target("seven")
                .backup(b -> b.cloudType(CloudType.AWS).accountName(" ")).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageStartingWith("ControllerUpgrade: 2 problems")
                .hasMessageContaining("target \"seven\"")
                .hasMessageContaining("backup: ")
                .hasMessageContaining("bucketName")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("backup is not set"));
    }

    @Test
    void backup_whenBuiltInPlace_keepsMultipleBackupsByDefault() {
        ControllerUpgrade u = ControllerUpgrade.builder().client(unreachable()).train("6.5", "6.8")
                .backup(b -> b.cloudType(CloudType.AWS).accountName("aws-primary").bucketName("controller-backups")).build();
        assertThat(u.plan()).isNotNull();
        assertThat(BackupRequest.builder().cloudType(CloudType.AWS).accountName("aws-primary")
                .bucketName("controller-backups").build()).isEqualTo(BACKUP);
        assertThat(BACKUP.multipleBackups()).isTrue();
        assertThat(BACKUP.toBuilder().multipleBackups(false).build().multipleBackups()).isFalse();
    }

    @Test
    void toBuilder_keepsEverySettingAndChangesOnlyWhatIsSet() {
        ControllerUpgrade u = valid().target("6.8").gateways("spoke-1").scope(UpgradeScope.CONTROLLER_ONLY).build();

        ControllerUpgrade v = u.toBuilder().gateways("spoke-2").build();

        assertThat(v.train()).isEqualTo(u.train());
        assertThat(v.scope()).isEqualTo(UpgradeScope.CONTROLLER_ONLY);
        assertThat(v.gateways()).containsExactly("spoke-1", "spoke-2");
        assertThat(v.plan().inputs().get(0).defaultValue().map(Object::toString)).hasValue("6.8");
    }

    @Test
    void backupRequest_whenBothNamesBlank_namesBoth() {
        assertThatThrownBy(() -> BackupRequest.of(CloudType.AWS, " ", ""))
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("BackupRequest: 2 problems")
                .hasMessageContaining("accountName \" \" must not be blank")
                .hasMessageContaining("bucketName \"\" must not be blank");
    }
}
