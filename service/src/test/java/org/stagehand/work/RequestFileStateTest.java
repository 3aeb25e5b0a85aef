package org.stagehand.work;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestFileStateTest {

    @Test
    void aRequestWaitsWhileItsFileIsQueuedCopiedOrSetAside() {
        assertThat(RequestFileState.of(FileState.PENDING)).isEqualTo(RequestFileState.WAITING);
        assertThat(RequestFileState.of(FileState.ACTIVE)).isEqualTo(RequestFileState.WAITING);
        assertThat(RequestFileState.of(FileState.IDLE)).isEqualTo(RequestFileState.WAITING);
    }

    @Test
    void aRequestEndsAsItsFilesWorkEnded() {
        assertThat(RequestFileState.of(FileState.READY)).isEqualTo(RequestFileState.READY);
        assertThat(RequestFileState.of(FileState.FAILED)).isEqualTo(RequestFileState.FAILED);
    }

    @Test
    void noWorkStateCancelsARequest() {
        Map<FileState, RequestFileState> mapping = new EnumMap<>(FileState.class);
        for (FileState work : FileState.values()) {
            mapping.put(work, RequestFileState.of(work));
        }

        assertThat(mapping).hasSize(FileState.values().length).doesNotContainValue(RequestFileState.CANCELLED);
    }

    @Test
    void aStateHasOneNameInTheCodeAndTheDatabase() {
        for (RequestFileState state : RequestFileState.values()) {
            assertThat(state.toString()).isEqualTo(state.name());
        }
    }
}
