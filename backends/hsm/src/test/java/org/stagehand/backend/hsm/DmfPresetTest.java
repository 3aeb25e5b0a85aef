package org.stagehand.backend.hsm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;

/** The dmf preset against its stand-in, plus what only DMF shows: a recall already under way (UNM). */
class DmfPresetTest extends HsmPresetContractTest {

    @Override
    HsmPreset preset() {
        return HsmPreset.DMF;
    }

    @Test
    void fileAlreadyUnmigratingIsAwaitedWithoutASecondRecall() throws Exception {
        Path file = hsm.offlineFile("unm/file", text("recalled by someone else"));
        hsm.markRecalling(file);
        StagingItem item = item("unm", "unm/file");
        CompletableFuture<Void> otherRecall = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(400);
                hsm.completeRecallOutOfBand(file);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        stage(hsm.factory(), item);
        otherRecall.join();

        assertThat(hsm.recallCalls()).isEmpty();
        assertThat(hsm.stateCalls().size()).as("polled while unmigrating").isGreaterThan(1);
        assertThat(outcomeOf(item)).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(item.temporaryFile()).hasContent("recalled by someone else");
    }

    @Test
    void stateQueriesAreSplitAtMaxFilesPerStateQuery() throws Exception {
        List<StagingItem> items = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            hsm.onlineFile("q/f" + i, text("f" + i));
            items.add(item("f" + i, "q/f" + i));
        }
        HsmBackendFactory factory = hsm.factory();
        factory.setMaxFilesPerStateQuery(3);

        stage(factory, items.toArray(StagingItem[]::new));

        assertThat(hsm.stateCalls()).extracting(call -> call.files().size()).containsExactly(3, 3, 1);
        assertThat(reported).hasSize(7).extracting(Reported::outcome).allMatch(StagingOutcome.Fetched.class::isInstance);
    }
}
