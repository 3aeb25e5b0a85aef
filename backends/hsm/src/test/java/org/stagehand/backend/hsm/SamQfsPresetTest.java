package org.stagehand.backend.hsm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;

/** The samqfs preset against its stand-in, plus a file the HSM reports lost (damaged). */
class SamQfsPresetTest extends HsmPresetContractTest {

    @Override
    HsmPreset preset() {
        return HsmPreset.SAMQFS;
    }

    @Test
    void fileTheHsmReportsLostFailsForGoodWithoutARecall() throws Exception {
        hsm.lostFile("lost/file");
        hsm.onlineFile("lost/neighbour", text("fine"));
        StagingItem lost = item("lost", "lost/file");
        StagingItem neighbour = item("neighbour", "lost/neighbour");

        stage(hsm.factory(), lost, neighbour);

        assertThat(outcomeOf(lost)).isInstanceOfSatisfying(StagingOutcome.Failed.class,
                failed -> assertThat(failed.message()).contains("lost/file").contains("lost or damaged"));
        assertThat(outcomeOf(neighbour)).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(hsm.recallCalls()).isEmpty();
    }
}
