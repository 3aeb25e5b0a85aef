package org.stagehand.backend.hpss;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.backend.ArchiveBackend;

/** What a start-up does with the command files and hsi sessions a killed service left behind. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CommandFileSweepTest {

    @TempDir
    Path temp;

    private HsiStandIn hpss;
    private Process orphan;
    private ArchiveBackend backend;

    @BeforeEach
    void setUp() throws Exception {
        hpss = new HsiStandIn(temp);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (orphan != null) {
            orphan.destroyForcibly();
        }
        if (backend != null) {
            backend.close();
        }
    }

    /** The pid of a process that has ended, as the pid of a killed service. */
    private static long pidOfAnEndedProcess() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        return ended.pid();
    }

    @Test
    void startUpEndsOrphanedHsiSessionsOfADeadServiceAndDeletesOnlyItsCommandFiles() throws Exception {
        hpss.onTape("o/1", "one", "EA0001", 1, 0).onTape("o/2", "two", "EA0001", 2, 0).set("HSI_STANDIN_READ_MS", "1500");
        Path commands = Files.createDirectories(hpss.commandDirectory());
        Path target1 = hpss.stagingRoot().resolve(".o1.part");
        Path target2 = hpss.stagingRoot().resolve(".o2.part");
        Path leftover = commands.resolve("recall-" + pidOfAnEndedProcess() + "-EA0001-4711.hsi");
        Files.writeString(leftover, VolumeRecall.getLine(target1.toString(), HsiStandIn.hpssPath("o/1")) + "\n"
                + VolumeRecall.getLine(target2.toString(), HsiStandIn.hpssPath("o/2")) + "\n");
        Path liveServices = commands.resolve("recall-" + ProcessHandle.current().pid() + "-EB0002-42.hsi");
        Files.writeString(liveServices, "# another backend of a live service\n");
        Path notOurs = Files.writeString(commands.resolve("notes.txt"), "kept");
        Path notOursEither = Files.writeString(commands.resolve("recall-EA0001.hsi.bak"), "kept");
        orphan = hpss.startSession(leftover);
        while (hpss.events("LOCATE").isEmpty()) { // the orphan is reading its first file, which takes 1.5 s
            Thread.sleep(20);
        }

        backend = hpss.build(hpss.factory());

        assertThat(orphan.waitFor(5, TimeUnit.SECONDS)).as("the orphaned hsi was ended").isTrue();
        assertThat(leftover).doesNotExist();
        assertThat(liveServices).exists();
        assertThat(notOurs).exists();
        assertThat(notOursEither).exists();
        Thread.sleep(3_500); // time for two reads, had the orphan gone on
        assertThat(target2).as("written by the orphan after the start-up").doesNotExist();
        assertThat(hpss.events("READ")).isEmpty();
    }

    @Test
    void aCommandFileWhoseOwnersPidNowBelongsToAYoungerProcessIsALeftover() throws Exception {
        Path commands = Files.createDirectories(hpss.commandDirectory());
        Process younger = new ProcessBuilder("sleep", "30").start();
        try {
            Path leftover = commands.resolve("recall-" + younger.pid() + "-EA0001-1.hsi");
            Files.writeString(leftover, "# written before the process with this pid started\n");
            Files.setLastModifiedTime(leftover, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));

            backend = hpss.build(hpss.factory());

            assertThat(leftover).doesNotExist();
            assertThat(younger.isAlive()).as("a process not reading the file is left alone").isTrue();
        } finally {
            younger.destroyForcibly();
        }
    }
}
