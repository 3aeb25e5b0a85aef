package org.stagehand.api.dts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.stagehand.requests.RequestStatus;
import org.stagehand.work.RequestFileState;

class DtsWordsTest {

    @Test
    void theContractCallsAWaitingRequestStagingAndTheOthersByTheirNames() {
        assertThat(DtsStatus.word(RequestStatus.WAITING)).isEqualTo("staging");
        assertThat(DtsStatus.word(RequestStatus.READY)).isEqualTo("ready");
        assertThat(DtsStatus.word(RequestStatus.FAILED)).isEqualTo("failed");
        assertThat(DtsStatus.word(RequestStatus.CANCELLED)).isEqualTo("cancelled");
    }

    @Test
    void theContractCallsAWaitingFileStagingAndTheOthersByTheirNames() {
        assertThat(DtsFilePage.word(RequestFileState.WAITING)).isEqualTo("staging");
        assertThat(DtsFilePage.word(RequestFileState.READY)).isEqualTo("ready");
        assertThat(DtsFilePage.word(RequestFileState.FAILED)).isEqualTo("failed");
        assertThat(DtsFilePage.word(RequestFileState.CANCELLED)).isEqualTo("cancelled");
    }
}
