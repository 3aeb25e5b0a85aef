package org.stagehand.backend.hpss;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hsi stand-in's library mode, which the tape scheduling benchmark prices: drives shared by
 * every hsi process, a tape in one drive at a time, a session waiting when every drive is held,
 * and each operation logged with its cost in the drive model.
 */
class HsiLibraryModeTest {

    @TempDir
    Path directory;

    private Path log;

    private Process get(String remote, String local) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(HsiStandIn.executable().toString(),
                "get " + directory.resolve(local) + " : " + remote);
        builder.environment().put("HSI_STANDIN_ROOT", directory.resolve("hpss").toString());
        builder.environment().put("HSI_STANDIN_TAPES", directory.resolve("tapes.txt").toString());
        builder.environment().put("HSI_STANDIN_LOG", log.toString());
        builder.environment().put("HSI_STANDIN_LIBRARY", directory.resolve("library.json").toString());
        return builder.redirectErrorStream(true).redirectOutput(directory.resolve(local + ".out").toFile()).start();
    }

    private void library(int drives, int msPerSecond) throws Exception {
        Files.createDirectories(directory.resolve("hpss/archive"));
        Files.write(directory.resolve("hpss/archive/a"), new byte[1_000]);
        Files.write(directory.resolve("hpss/archive/b"), new byte[2_000]);
        Files.write(directory.resolve("hpss/archive/c"), new byte[500]);
        Files.writeString(directory.resolve("tapes.txt"),
                "/archive/a VA0001 100 0\n/archive/b VB0002 200 0\n/archive/c VA0001 300 0\n");
        // a 5 s mount; 1 MB/s; a 1 GB tape located end to end in 90 s
        Files.writeString(directory.resolve("library.json"), "{\"drives\": " + drives + ", \"ms_per_second\": " + msPerSecond + ","
                + " \"size_scale\": 1000, \"capacity_bytes\": 1e9, \"full_locate_seconds\": 90, \"tapes\": {"
                + "\"VA0001\": {\"mount\": 5, \"unmount\": 4, \"bytes_per_second\": 1e6},"
                + "\"VB0002\": {\"mount\": 6, \"unmount\": 3, \"bytes_per_second\": 1e6}}}");
        log = directory.resolve("hsi.log");
    }

    private List<String[]> events() throws Exception {
        List<String[]> events = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            events.add(line.split(" "));
        }
        return events;
    }

    private static long count(List<String[]> events, String kind) {
        return events.stream().filter(event -> event[2].equals(kind)).count();
    }

    @Test
    void withOneDriveASecondTapeWaitsThenUnmountsTheFirst() throws Exception {
        library(1, 100);
        Process first = get("/archive/a", "a.copy");
        // The first session holds the drive from its mount until it ends (locate 0.9 s and read 0.1 s later).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(Files.exists(log) && Files.readString(log).contains("LMOUNT")) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Process second = get("/archive/b", "b.copy");
        assertThat(first.waitFor(30, TimeUnit.SECONDS) && second.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).isZero();
        assertThat(second.exitValue()).isZero();

        List<String[]> events = events();
        assertThat(count(events, "WAIT")).isEqualTo(1);
        assertThat(events).filteredOn(event -> event[2].equals("LMOUNT")).extracting(event -> event[4])
                .containsExactly("VA0001", "VB0002");
        assertThat(events).filteredOn(event -> event[2].equals("LUNMOUNT"))
                .singleElement().satisfies(event -> assertThat(event[4]).isEqualTo("VA0001"));
        assertThat(events).filteredOn(event -> event[2].equals("LREAD")).extracting(event -> event[5] + " " + event[6])
                .as("full size (size on disk x 1000) and its read time at 1 MB/s")
                .containsExactly("1000000 1.000", "2000000 2.000");
        assertThat(directory.resolve("b.copy")).hasSize(2_000);
    }

    @Test
    void aMountedTapeIsReusedWithoutAMountAndTheHeadLocatesFromWhereItStopped() throws Exception {
        library(2, 1);
        assertThat(get("/archive/a", "a.copy").waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(get("/archive/c", "c.copy").waitFor(30, TimeUnit.SECONDS)).isTrue();

        List<String[]> events = events();
        assertThat(count(events, "LMOUNT")).as("the tape stayed in its drive").isEqualTo(1);
        assertThat(events).filteredOn(event -> event[2].equals("LLOCATE")).extracting(event -> event[5] + "->" + event[6])
                .containsExactly("0->100000000", "101000000->300000000");
    }
}
