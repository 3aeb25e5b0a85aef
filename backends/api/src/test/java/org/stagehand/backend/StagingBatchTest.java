package org.stagehand.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class StagingBatchTest {

    private static StagingItem item(String fileId) {
        return new StagingItem(fileId, "archive/" + fileId, "staged/" + fileId,
                Path.of("/staging/." + fileId + ".part"), OptionalLong.empty(), Optional.empty(), 1);
    }

    private final StagingItem a = item("a");
    private final StagingItem b = item("b");
    private final StagingItem c = item("c");
    private final StagingBatch batch = new StagingBatch("batch-1", List.of(a, b, c));

    @Test
    void nothingIsCancelledAtFirst() {
        assertThat(batch.isCancelled(a)).isFalse();
        assertThat(batch.isCancelled(b)).isFalse();
        assertThat(batch.isCancelled(c)).isFalse();
        assertThat(batch.isFullyCancelled()).isFalse();
    }

    @Test
    void cancelMarksOnlyTheListedItems() {
        batch.cancel(List.of(b));

        assertThat(batch.isCancelled(b)).isTrue();
        assertThat(batch.isCancelled(a)).isFalse();
        assertThat(batch.isCancelled(c)).isFalse();
    }

    @Test
    void cancelIgnoresItemsOfOtherBatches() {
        StagingItem foreign = item("z");
        List<StagingItem> heard = new CopyOnWriteArrayList<>();
        batch.onCancel(heard::add);

        batch.cancel(List.of(foreign));

        assertThat(batch.isCancelled(foreign)).isFalse();
        assertThat(heard).isEmpty();
        assertThat(List.of(a, b, c)).noneMatch(batch::isCancelled);
    }

    @Test
    void listenersHearEachCancelledItemExactlyOnce() {
        List<StagingItem> first = new CopyOnWriteArrayList<>();
        List<StagingItem> second = new CopyOnWriteArrayList<>();
        batch.onCancel(first::add);
        batch.onCancel(second::add);

        batch.cancel(List.of(a, b));
        batch.cancel(List.of(a)); // again: already cancelled
        batch.cancel(List.of(b, b));

        assertThat(first).containsExactlyInAnyOrder(a, b);
        assertThat(second).containsExactlyInAnyOrder(a, b);
    }

    @Test
    void listenerRegisteredLaterHearsOnlyLaterCancellations() {
        batch.cancel(List.of(a));
        List<StagingItem> heard = new ArrayList<>();
        batch.onCancel(heard::add);

        batch.cancel(List.of(a, c));

        assertThat(heard).containsExactly(c);
    }

    @Test
    void isFullyCancelledOnlyOnceEveryItemIsCancelled() {
        batch.cancel(List.of(a, b));
        assertThat(batch.isFullyCancelled()).isFalse();

        batch.cancel(List.of(c));
        assertThat(batch.isFullyCancelled()).isTrue();
    }

    @Test
    void keepsItsOwnCopyOfTheItems() {
        List<StagingItem> source = new ArrayList<>(List.of(a, b));
        StagingBatch copy = new StagingBatch("batch-2", source);

        source.add(c);

        assertThat(copy.items()).containsExactly(a, b);
    }
}
