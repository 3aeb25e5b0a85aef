package org.stagehand.backend.hpss;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.support.StagingRootGuard;

/**
 * Delivers a finished file's outcome to every item waiting for it, and counts it. A fetched file
 * is first copied into the temporary file of every other item, because the service renames the
 * target's temporary file away as soon as it hears of it.
 */
final class OutcomeDelivery {

    private final Counter fetched;
    private final Counter failed;
    private final Counter retried;

    private final StagingRootGuard stagingArea;

    OutcomeDelivery(MetricRegistry metrics, StagingRootGuard stagingArea) {
        this.stagingArea = stagingArea;
        this.fetched = metrics.counter("hpss.files.fetched");
        this.failed = metrics.counter("hpss.files.failed");
        this.retried = metrics.counter("hpss.files.retried");
    }

    /**
     * @param waiting the items waiting for the file
     * @param target the item whose temporary file hsi wrote, or null when none was recalled
     */
    void deliver(List<WaitingItem> waiting, WaitingItem target, StagingOutcome outcome) {
        count(outcome);
        if (outcome instanceof StagingOutcome.Fetched && target != null) {
            Path source = target.item().temporaryFile();
            for (WaitingItem item : waiting) {
                if (item != target) {
                    item.report(item.isCancelled() ? StagingOutcome.cancelled() : copy(source, item));
                }
            }
            target.report(target.isCancelled() ? StagingOutcome.cancelled() : outcome);
            return;
        }
        for (WaitingItem item : waiting) {
            item.report(item.isCancelled() ? StagingOutcome.cancelled() : outcome);
        }
    }

    private StagingOutcome copy(Path source, WaitingItem item) {
        Path destination = item.item().temporaryFile();
        if (destination.equals(source)) {
            return StagingOutcome.fetched();
        }
        try {
            Files.copy(source, stagingArea.resolve(destination), StandardCopyOption.REPLACE_EXISTING);
            return StagingOutcome.fetched();
        } catch (IOException e) {
            return StagingOutcome.retry("cannot copy the recalled " + item.remotePath() + " for this request: " + e);
        }
    }

    private void count(StagingOutcome outcome) {
        if (outcome instanceof StagingOutcome.Fetched) {
            fetched.inc();
        } else if (outcome instanceof StagingOutcome.Failed) {
            failed.inc();
        } else if (outcome instanceof StagingOutcome.Retry) {
            retried.inc();
        }
    }
}
