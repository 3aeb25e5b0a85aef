package org.stagehand.api.jdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.stagehand.requests.RequestStatus;
import org.stagehand.requests.StagingStatus.ByteCounts;
import org.stagehand.requests.StagingStatus.FileCounts;
import org.stagehand.requests.StagingStatus;

class JdpApiResourceTest {

    @Test
    void newUntilAFileHasStartedThenPendingUntilEveryFileIsInPlace() {
        assertThat(JdpApiResource.word(status(RequestStatus.WAITING, new FileCounts(2, 0, 2, 0, 0, 1, 0)))).isEqualTo("new");
        assertThat(JdpApiResource.word(status(RequestStatus.WAITING, new FileCounts(2, 0, 2, 0, 0, 0, 1)))).isEqualTo("pending");
        assertThat(JdpApiResource.word(status(RequestStatus.WAITING, new FileCounts(2, 1, 1, 0, 0, 0, 0)))).isEqualTo("pending");
        assertThat(JdpApiResource.word(status(RequestStatus.WAITING, new FileCounts(2, 0, 1, 1, 0, 0, 0)))).isEqualTo("pending");
        assertThat(JdpApiResource.word(status(RequestStatus.READY, new FileCounts(2, 2, 0, 0, 0, 0, 0)))).isEqualTo("ready");
    }

    @Test
    void failedAndCancelledKeepTheirOwnWordsWhichTheDtsDoesNotAccept() {
        assertThat(JdpApiResource.word(status(RequestStatus.FAILED, new FileCounts(2, 1, 0, 1, 0, 0, 0)))).isEqualTo("failed");
        assertThat(JdpApiResource.word(status(RequestStatus.CANCELLED, new FileCounts(2, 0, 0, 0, 2, 0, 0)))).isEqualTo("cancelled");
    }

    private static StagingStatus status(RequestStatus status, FileCounts files) {
        return new StagingStatus(UUID.randomUUID(), status, files, new ByteCounts(0, 0), "2026-12-01T00:00:00Z",
                "2026-12-01T00:00:00Z", null, List.of());
    }
}
