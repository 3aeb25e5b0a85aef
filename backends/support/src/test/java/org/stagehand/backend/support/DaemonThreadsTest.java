package org.stagehand.backend.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DaemonThreadsTest {

    @Test
    void threadsAreDaemonsNumberedAfterTheirName() {
        DaemonThreads threads = new DaemonThreads("stagehand-hpss-session");

        Thread first = threads.newThread(() -> { });
        Thread second = threads.newThread(() -> { });

        assertThat(first.isDaemon()).isTrue();
        assertThat(first.getName()).isEqualTo("stagehand-hpss-session-1");
        assertThat(second.getName()).isEqualTo("stagehand-hpss-session-2");
    }
}
