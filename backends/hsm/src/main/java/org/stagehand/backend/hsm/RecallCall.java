package org.stagehand.backend.hsm;

import java.nio.file.Path;
import java.util.List;
import org.stagehand.backend.StagingItem;

/**
 * One recall command under way for files of one file system.
 *
 * @param fileSystem the file system the files belong to
 * @param items the items whose files it recalls
 * @param command the running command
 */
record RecallCall(Path fileSystem, List<StagingItem> items, RunningCommand command) {

    RecallCall {
        items = List.copyOf(items);
    }
}
