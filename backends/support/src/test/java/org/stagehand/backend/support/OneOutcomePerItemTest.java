package org.stagehand.backend.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.support.testing.RecordingListener;
import org.stagehand.backend.support.testing.StagingItems;

class OneOutcomePerItemTest {

    @Test
    void onlyTheFirstOutcomeOfAnItemReachesTheService() {
        RecordingListener service = new RecordingListener();
        OneOutcomePerItem listener = new OneOutcomePerItem(service);
        StagingItem item = StagingItems.item("a").build();
        StagingItem other = StagingItems.item("b").build();

        listener.report(item, StagingOutcome.cancelled());
        listener.report(item, StagingOutcome.retry("late"));

        assertThat(service.outcome(item)).isInstanceOf(StagingOutcome.Cancelled.class);
        assertThat(service.duplicates()).isEmpty();
        assertThat(listener.isReported(item)).isTrue();
        assertThat(listener.isReported(other)).isFalse();
    }
}
