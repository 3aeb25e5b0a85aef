package org.stagehand.requests;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestStatusTest {

    @Test
    void aCancelledRequestIsCancelledWhateverItsFilesDid() {
        assertThat(RequestStatus.of(true, 3, 1)).isEqualTo(RequestStatus.CANCELLED);
        assertThat(RequestStatus.of(true, 0, 0)).isEqualTo(RequestStatus.CANCELLED);
    }

    @Test
    void aRequestWaitsWhileAnyFileWaitsEvenWhenOthersFailed() {
        assertThat(RequestStatus.of(false, 1, 2)).isEqualTo(RequestStatus.WAITING);
    }

    @Test
    void aRequestWithNothingWaitingFailedWhenAnyFileFailedElseItIsReady() {
        assertThat(RequestStatus.of(false, 0, 1)).isEqualTo(RequestStatus.FAILED);
        assertThat(RequestStatus.of(false, 0, 0)).isEqualTo(RequestStatus.READY);
    }
}
