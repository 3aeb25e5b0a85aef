package org.stagehand.work;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdleDrivesTest {

    @Test
    void aVolumeClaimedWhileInNoFreeDriveTakesTheDriveReleasedLongestAgo() {
        IdleDrives idle = new IdleDrives();
        idle.released("VA0001");
        idle.released("VA0002");
        assertThat(idle.inFreeDrives(2)).containsExactlyInAnyOrder("VA0001", "VA0002");
        idle.claimed("VA0003");
        assertThat(idle.inFreeDrives(1)).as("VA0001's drive was released first").containsExactly("VA0002");
        idle.claimed("VA0002");
        assertThat(idle.inFreeDrives(0)).isEmpty();
    }

    @Test
    void moreVolumesThanFreeDrivesKeepsTheLatestReleased() {
        IdleDrives idle = new IdleDrives();
        idle.released("VA0001");
        idle.released("VA0002");
        idle.released("VA0001");
        assertThat(idle.inFreeDrives(1)).containsExactly("VA0001");
        assertThat(idle.inFreeDrives(2)).as("VA0002 was dropped").containsExactly("VA0001");
    }
}
