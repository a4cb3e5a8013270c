package dev.stepwise.aviatrix;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.core.StepwiseJson;
import org.junit.jupiter.api.Test;

/** Upgrade reports are built without positional constructors and survive the journal's Jackson round trip. */
class UpgradeReportTest {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = StepwiseJson.newMapper();
    private static final ControllerVersion V65 = ControllerVersion.parse("6.5.2608");
    private static final ControllerVersion V66 = ControllerVersion.parse("6.6.5224");
    private static final ControllerVersion V68 = ControllerVersion.parse("6.8");

    private static UpgradeReport halfway() {
        return UpgradeReport.builder(V65, V68).hopsPlanned(3)
                .addHops(UpgradeReport.HopDone.of(1, V65, ControllerVersion.parse("6.6"), V66, "req-1"))
                .addBackups(UpgradeReport.BackupMade.of(1, V65, "controller-backups"))
                .versionReached(V66).build();
    }

    @Test
    void builder_withOnlyTheEnds_hasNoHopAndReachedTheStart() {
        UpgradeReport r = UpgradeReport.builder(V65, V68).build();

        assertThat(r.versionReached()).isEqualTo(V65);
        assertThat(r.isComplete()).isTrue();
        assertThat(r.toString()).isEqualTo("6.5.2608 (0 of 0 hops to 6.8); backups: none");
    }

    @Test
    void jsonRoundTrip_keepsEveryFieldAndWritesTheRecordsFieldNames() {
        UpgradeReport r = halfway();

        JsonNode tree = JSON.valueToTree(r);
        UpgradeReport back = JSON.convertValue(tree, UpgradeReport.class);

        assertThat(back).isEqualTo(r);
        assertThat(back.toString()).isEqualTo("6.5.2608 -> 6.6.5224 (1 of 3 hops to 6.8); backups: 1 (before hop 1 on "
                + "6.5.2608 to controller-backups)");
        assertThat(tree.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("from", "target", "hopsPlanned", "hops", "backups", "versionReached");
        assertThat(tree.get("hops").get(0).get("reached").asText()).isEqualTo("6.6.5224");
    }

    @Test
    void json_writtenByTheRecord_isReadBack() {
        String recordJson = "{\"from\":\"6.5.2608\",\"target\":\"6.8\",\"hopsPlanned\":3,\"hops\":[{\"number\":1,"
                + "\"from\":\"6.5.2608\",\"to\":\"6.6\",\"reached\":\"6.6.5224\",\"requestId\":\"req-1\"}],\"backups\":"
                + "[{\"beforeHop\":1,\"takenOn\":\"6.5.2608\",\"bucketName\":\"controller-backups\"}],"
                + "\"versionReached\":\"6.6.5224\",\"complete\":false}";

        UpgradeReport back = JSON.convertValue(JSON.valueToTree(parse(recordJson)), UpgradeReport.class);

        assertThat(back).isEqualTo(halfway());
    }

    @Test
    void toBuilder_changesOnlyWhatIsSet() {
        UpgradeReport done = halfway().toBuilder().hopsPlanned(1).build();
        assertThat(done.isComplete()).isTrue();
        assertThat(done.hops()).isEqualTo(halfway().hops());
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
