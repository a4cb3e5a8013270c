package dev.stepwise.aviatrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.aviatrix.UpgradePath.Hop;
import dev.stepwise.core.PlanValidationException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpgradePathTest {

    private static final String[] TRAIN = {"2.7", "3.0", "3.1", "3.2", "3.3", "3.4", "3.5", "4.0", "4.1", "4.2",
        "4.3", "4.6", "4.7", "5.0", "5.1", "5.2", "5.3", "5.4", "6.0", "6.1", "6.2", "6.3", "6.4",
        "6.5.2608", "6.5.3233", "6.6.5224", "6.6.5612", "6.7.1185", "6.7.1376", "6.8.1149", "6.9.733", "7.0.1373",
        "7.1.1794"};

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            3.1      | 3.5      | 3.2 3.3 3.4 3.5
            4.7      | 5.1      | 5.0 5.1
            6.5.2608 | 6.8      | 6.5.3233 6.6.5612 6.7.1376 6.8
            6.5.3233 | 6.8.1149 | 6.6.5612 6.7.1376 6.8.1149
            6.9.733  | 7.1      | 7.0.1373 7.1
            6.9      | 7.1.1794 | 7.0.1373 7.1.1794
            4.3      | 5.0      | 4.6 4.7 5.0
            2.7      | 3.3      | 3.0 3.1 3.2 3.3
            6.4      | 6.6      | 6.5.3233 6.6
            6.5.2608 | 6.5      | 6.5
            6.5.2608 | 6.5.3233 | 6.5.3233
            """)
    void build_whenRulesAllow_listsExactlyTheHops(String from, String to, String expectedHops) {
        UpgradePath path = UpgradePath.of(from, to, TRAIN);

        assertThat(path.hops()).extracting(h -> h.to().toString())
                .containsExactlyElementsOf(Arrays.asList(expectedHops.split(" ")));
        assertThat(path.from()).isEqualTo(ControllerVersion.parse(from));
        assertThat(path.target()).isEqualTo(ControllerVersion.parse(to));
        assertThat(path.hops().get(0).from()).isEqualTo(ControllerVersion.parse(from));
        for (int i = 1; i < path.hops().size(); i++) {
            assertThat(path.hops().get(i).from()).isEqualTo(path.hops().get(i - 1).to());
            assertThat(path.hops().get(i).number()).isEqualTo(i + 1);
        }
    }

    @Test
    void build_when31To35_givesCustomReleaseReasonsBefore33AndMaintenanceAfter() {
        List<Hop> hops = UpgradePath.of("3.1", "3.5", TRAIN).hops();

        assertThat(hops).extracting(Hop::reason).satisfiesExactly(
                r -> assertThat(r).startsWith("before 3.3").contains("custom release 3.2"),
                r -> assertThat(r).startsWith("before 3.3").contains("custom release 3.3"),
                r -> assertThat(r).startsWith("from 3.3 only the next maintenance release"),
                r -> assertThat(r).startsWith("from 3.3 only the next maintenance release"));
    }

    @Test
    void build_when47To51_namesTheR51Block() {
        Hop first = UpgradePath.of("4.7", "5.1", TRAIN).hops().get(0);

        assertThat(first.reason()).contains("4.7 must go to 5.0 before 5.1").contains("R5.1.845");
    }

    @Test
    void build_whenOlderBuildBefore65_firstMovesToLatestBuildOfCurrentRelease() {
        UpgradePath path = UpgradePath.of("6.2.1500", "6.4", "6.2", "6.3", "6.4");

        assertThat(path.hops()).extracting(h -> h.to().toString()).containsExactly("6.2", "6.3", "6.4");
        assertThat(path.hops().get(0).reason()).contains("latest build of its current release")
                .contains("custom release 6.2");
    }

    @Test
    void build_whenOlderBuildFrom65_movesToTheLatestBuildOfTheMinorThenTakesMinorsOneAtATime() {
        UpgradePath path = UpgradePath.of("6.5.2608", "6.7", "6.5.3233", "6.6", "6.7");

        assertThat(path.hops()).extracting(h -> h.to().toString()).containsExactly("6.5.3233", "6.6", "6.7");
        assertThat(path.hops().get(0).reason()).contains("latest build of the current minor")
                .contains("6.5.1922 or later");
        assertThat(path.hops().subList(1, 3)).extracting(Hop::reason)
                .allSatisfy(r -> assertThat(r).contains("from 6.5 minors are taken one at a time"));
        assertThat(path.hops().get(1).reason()).contains("6.6 is entered by hand and cannot be rolled back to 6.5");
    }

    @Test
    void build_whenCrossingMajor_explainsLastMinor() {
        Hop first = UpgradePath.of("6.9.733", "7.1", TRAIN).hops().get(0);

        assertThat(first.reason()).contains("new major").contains("6.9 is the last 6.x");
    }

    @Test
    void build_whenLatestReportedByController_targetsIt() {
        UpgradePath path = UpgradePath.builder().from("6.6.5224").to("latest").latest("6.8.1149").train(TRAIN).build();

        assertThat(path.target()).hasToString("6.8.1149");
        assertThat(path.hops()).extracting(h -> h.to().toString()).containsExactly("6.6.5612", "6.7.1376",
                "6.8.1149");
    }

    @Test
    void build_whenLatestWithoutReport_targetsNewestInTrain() {
        UpgradePath path = UpgradePath.of("6.9.733", "LATEST", TRAIN);

        assertThat(path.target()).hasToString("7.1.1794");
        assertThat(path.hops()).hasSize(2);
    }

    @Test
    void build_whenReportedLatestNotInTrain_refusesAsUnknownTarget() {
        assertThatThrownBy(() -> UpgradePath.builder().from("6.9").latest("7.2.4820").train(TRAIN).build())
                .isInstanceOf(UpgradePathException.class)
                .hasMessageContaining("latest version 7.2.4820 reported by the controller")
                .hasMessageContaining("not in the release train")
                .extracting(e -> ((UpgradePathException) e).kind())
                .isEqualTo(UpgradePathException.Kind.UNKNOWN_TARGET);
    }

    @Test
    void build_whenTargetEqualsCurrent_isEmpty() {
        UpgradePath path = UpgradePath.of("6.8.1149", "6.8.1149", TRAIN);

        assertThat(path.isEmpty()).isTrue();
        assertThat(path).hasToString("6.8.1149 -> 6.8.1149: already there, no hops");
    }

    @Test
    void build_whenDowngrade_refusesBeforeAnything() {
        assertThatThrownBy(() -> UpgradePath.of("6.7.1185", "6.5", TRAIN))
                .isInstanceOf(UpgradePathException.class)
                .hasMessageContaining("target 6.5 is older than the current version 6.7.1185")
                .hasMessageContaining("cannot be rolled back")
                .extracting(e -> ((UpgradePathException) e).kind())
                .isEqualTo(UpgradePathException.Kind.DOWNGRADE);
    }

    @Test
    void build_whenOlderBuildOfSameRelease_refusesAsDowngrade() {
        assertThatThrownBy(() -> UpgradePath.of("6.5.3233", "6.5.2608", TRAIN))
                .isInstanceOf(UpgradePathException.class)
                .extracting(e -> ((UpgradePathException) e).kind())
                .isEqualTo(UpgradePathException.Kind.DOWNGRADE);
    }

    @Test
    void build_whenTargetGarbage_throwsPlanValidationNamingTheValue() {
        assertThatThrownBy(() -> UpgradePath.of("6.5", "six point eight", TRAIN))
                .isInstanceOf(PlanValidationException.class)
                .isNotInstanceOf(UpgradePathException.class)
                .hasMessageContaining("\"six point eight\"")
                .hasMessageContaining("latest")
                .hasMessageContaining(ControllerVersion.ACCEPTED_FORMS);
    }

    @Test
    void build_whenCurrentGarbage_throwsPlanValidationNamingTheValue() {
        assertThatThrownBy(() -> UpgradePath.of("6.5.x", "6.8", TRAIN))
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("\"6.5.x\"");
    }

    @Test
    void build_whenTargetNotInTrain_refusesAsUnknownTarget() {
        assertThatThrownBy(() -> UpgradePath.of("6.5", "6.8", "6.6", "6.7"))
                .isInstanceOf(UpgradePathException.class)
                .hasMessageContaining("target 6.8 is not in the release train [6.6, 6.7]")
                .extracting(e -> ((UpgradePathException) e).kind())
                .isEqualTo(UpgradePathException.Kind.UNKNOWN_TARGET);
    }

    @Test
    void build_whenMinorMissingFrom65_refusesAsGap() {
        assertThatThrownBy(() -> UpgradePath.of("6.5.2608", "6.8", "6.6", "6.8"))
                .isInstanceOf(UpgradePathException.class)
                .hasMessageContaining("6.5.2608 -> 6.8 has a gap")
                .hasMessageContaining("after 6.6 the train has 6.8, but release 6.7 comes between them")
                .extracting(e -> ((UpgradePathException) e).kind())
                .isEqualTo(UpgradePathException.Kind.GAP_IN_TRAIN);
    }

    @Test
    void build_whenNewMajorDoesNotStartAtZero_refusesAsGap() {
        assertThatThrownBy(() -> UpgradePath.of("6.9", "7.1", "6.9", "7.1"))
                .isInstanceOf(UpgradePathException.class)
                .hasMessageContaining("release 7.0 comes between them")
                .extracting(e -> ((UpgradePathException) e).kind())
                .isEqualTo(UpgradePathException.Kind.GAP_IN_TRAIN);
    }

    @Test
    void build_when47WithoutFiveZero_refusesAsGap() {
        assertThatThrownBy(() -> UpgradePath.of("4.7", "5.1", "4.7", "5.1"))
                .isInstanceOf(UpgradePathException.class)
                .hasMessageContaining("after 4.7 the train has 5.1, but release 5.0 comes between them");
    }

    @Test
    void build_whenTrainMissing_throwsNamingIt() {
        assertThatThrownBy(() -> UpgradePath.builder().from("6.5").to("6.6").build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("train is empty");
    }

    @Test
    void build_whenFromMissing_throwsNamingIt() {
        assertThatThrownBy(() -> UpgradePath.builder().to("6.6").train(TRAIN).build())
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("from is not set");
    }

    @Test
    void toString_whenHops_isOneLineNamingEachHop() {
        assertThat(UpgradePath.of("4.7", "5.1", TRAIN).toString()).isEqualTo("4.7 -> 5.1 in 2 hops: 5.0, 5.1");
    }

    @Test
    void describe_whenHops_listsEachHopWithReason() {
        String text = UpgradePath.of("4.7", "5.1", TRAIN).describe();

        assertThat(text.lines()).containsExactly(
                "4.7 -> 5.1 in 2 hops:",
                "  1. 4.7 -> 5.0: 4.7 must go to 5.0 before 5.1 (R5.1.845 blocks 4.7 -> 5.1)",
                "  2. 5.0 -> 5.1: from 3.3 only the next maintenance release is allowed");
    }

    @Test
    void build_whenEverySettingIsBad_listsEachInOneException() {
        assertThatThrownBy(() -> UpgradePath.builder().from("6.5.x").to("seven").train("6.6", "6,7", "v6.8").build())
                .isInstanceOf(PlanValidationException.class)
                .isNotInstanceOf(UpgradePathException.class)
                .hasMessageStartingWith("UpgradePath: 4 problems")
                .hasMessageContaining("from \"6.5.x\" is not a controller version")
                .hasMessageContaining("target \"seven\" is neither \"latest\" nor a controller version")
                .hasMessageContaining("train entry \"6,7\" is not a controller version")
                .hasMessageContaining("train entry \"v6.8\" is not a controller version");
    }

    @Test
    void build_whenNothingIsSet_namesFromTargetAndTrain() {
        assertThatThrownBy(() -> UpgradePath.builder().build())
                .isInstanceOf(PlanValidationException.class)
                .satisfies(e -> assertThat(((PlanValidationException) e).problems()).containsExactly(
                        "from is not set: give the controller's current version",
                        "target is not set: call to(version) or to(\"latest\")",
                        "train is empty: give the releases between the current version and the target (no controller "
                                + "action lists them)"));
    }

    @Test
    void build_whenABadVersionIsReplacedByAGoodOne_builds() {
        assertThat(UpgradePath.builder().from("6.5.x").from("6.5").to("seven").to("6.6").train(TRAIN).build())
                .hasToString("6.5 -> 6.6 in 1 hop: 6.6");
    }

    @Test
    void refusedPath_isAPlanValidationAndAStepwiseException() {
        assertThatThrownBy(() -> UpgradePath.of("6.7.1185", "6.5", TRAIN))
                .isInstanceOf(PlanValidationException.class)
                .isInstanceOf(dev.stepwise.core.StepwiseException.class)
                .hasMessageStartingWith("UpgradePath: target 6.5 is older than the current version 6.7.1185");
    }
}
