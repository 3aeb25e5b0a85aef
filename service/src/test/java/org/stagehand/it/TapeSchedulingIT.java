package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.it.HpssStagingIT.Event;
import org.stagehand.it.HpssStagingIT.StandInHpss;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.TestDatabase;

/**
 * The queue planned by tape volume (#15), end to end through the HTTP API over the {@code hsi}
 * stand-in, whose own log counts the mounts: requests arriving over time share one mount per
 * volume whatever the worker count, drives are shared out by the mount policy, and instances on
 * one PostgreSQL never work on one volume at the same time.
 */
class TapeSchedulingIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path directory;

    /**
     * Eight volumes of twelve files each, and eight requests of twelve files each, every request
     * holding files of every volume.
     */
    private static List<List<String>> eightRequestsOverEightVolumes(StandInHpss hpss, String prefix) throws Exception {
        List<List<String>> requests = new ArrayList<>();
        for (int r = 0; r < 8; r++) {
            requests.add(new ArrayList<>());
        }
        for (int v = 0; v < 8; v++) {
            for (int f = 0; f < 12; f++) {
                String id = prefix + "-" + v + "-" + f;
                // positions unrelated to request order; each request holds 12 files spread over all 8 volumes
                hpss.onTape(id, prefix + "/v" + v + "/f" + f + ".bin", 2_000 + f, volume(prefix, v), 10L * ((f * 7) % 12 + 1), 0);
                requests.get((v * 12 + f) % 8).add(id);
            }
        }
        return requests;
    }

    private static String volume(String prefix, int v) {
        return (prefix.substring(0, 2) + "000" + v).toUpperCase();
    }

    private static Set<String> volumes(String prefix, int count) {
        Set<String> volumes = new TreeSet<>();
        for (int v = 0; v < count; v++) {
            volumes.add(volume(prefix, v));
        }
        return volumes;
    }

    /**
     * How long the first file of a volume waits for more before its mount ({@code work.tape.dueAge}):
     * longer than posting the eight requests takes on a loaded machine, so all of them are in.
     */
    private static final Duration DUE_AGE = Duration.ofSeconds(5);

    /**
     * Posts the requests 100 ms apart, alternating between {@code apps}, and checks that the last
     * was stored within {@link #DUE_AGE} of the first (when the first files became due).
     */
    private static List<String> sendApart(List<List<String>> requests, StagehandTestApp... apps) throws InterruptedException {
        List<String> requestIds = new ArrayList<>();
        long firstStored = 0;
        for (int r = 0; r < requests.size(); r++) {
            StagehandTestApp app = apps[r % apps.length];
            requestIds.add(HpssStagingIT.requestId(app.requestStaging(requests.get(r).toArray(String[]::new))));
            if (r == 0) {
                firstStored = System.nanoTime();
            }
            if (r < requests.size() - 1) {
                Thread.sleep(100);
            }
        }
        assertThat(Duration.ofNanos(System.nanoTime() - firstStored)).as("time to post the requests, all before a volume is due")
                .isLessThan(DUE_AGE);
        return requestIds;
    }

    @Test
    void eightRequestsOverTheSameEightVolumesSentApartWithinTheWindowMakeEightMountsWithTheDefaultWorkers()
            throws Exception {
        StandInHpss hpss = new StandInHpss(directory.resolve("hpss"));
        List<List<String>> requests = eightRequestsOverEightVolumes(hpss, "eight");
        Path staging = directory.resolve("staging");
        StagehandTestApp app = hpss.app(TestDatabase.h2(directory), staging, List.of(ConfigOverride.config("work.workers", "4"),
                ConfigOverride.config("backend.batchWindow", "3 seconds"),
                ConfigOverride.config("work.tape.dueAge", DUE_AGE.toMillis() + "ms"))).start();
        try {
            assertThat(app.configuration().getWork().getWorkers()).as("work.workers, the default").isEqualTo(4);
            List<String> requestIds = sendApart(requests, app);
            for (String requestId : requestIds) {
                app.awaitStatus(requestId, "ready", TIMEOUT);
            }

            assertThat(hpss.mountedVolumes(volumes("eight", 8))).as("one mount per volume")
                    .hasSize(8).containsExactlyInAnyOrderElementsOf(volumes("eight", 8));
            assertThat(hpss.reads("eight/")).as("each file read once").hasSize(96);
            for (List<String> ids : requests) {
                for (String id : ids) {
                    String[] parts = id.split("-");
                    String path = "eight/v" + parts[1] + "/f" + parts[2] + ".bin";
                    assertThat(staging.resolve(path)).as(path).hasBinaryContent(hpss.archive.bytes(path));
                }
            }
        } finally {
            app.stop();
        }
    }

    /**
     * Two sessions for six volumes, and a second request whose one file's listing hangs: the
     * listing holds a session and the thread that asks where files lie, but neither the claiming
     * (after {@code work.tape.locateWait}) nor the recalls of the volumes already located.
     */
    @Test
    void withFewerSessionsThanVolumesDrivesAreSharedOutEveryVolumeIsMountedOnceAndAHangingListingHoldsNoneUp()
            throws Exception {
        StandInHpss hpss = new StandInHpss(directory.resolve("hpss"));
        List<String> ids = new ArrayList<>();
        for (int v = 0; v < 6; v++) {
            for (int f = 0; f < 5; f++) {
                String id = "few-" + v + "-" + f;
                hpss.onTape(id, "few/v" + v + "/f" + f + ".bin", 1_000 + f, volume("few", v), 10L * (5 - f), 0);
                ids.add(id);
            }
        }
        hpss.onTape("few-hangs", "few/hangs.bin", 1_000, volume("few", 9), 10, 0).fail("ls", "few/hangs.bin", "hang", 1);
        StagehandTestApp app = hpss.app(TestDatabase.h2(directory), directory.resolve("staging"), List.of(ConfigOverride.config("work.workers", "4"),
                ConfigOverride.config("backend.maxSessions", "2"),
                ConfigOverride.config("backend.batchWindow", "100 milliseconds"),
                ConfigOverride.config("backend.listTimeout", "10 minutes"),
                ConfigOverride.config("work.tape.locateWait", "1 second"),
                // the hanging listing holds one listing session; the recalls' own listings take the other
                ConfigOverride.config("backend.maxListingSessions", "2"),
                ConfigOverride.config("backend.environment.HSI_STANDIN_READ_MS", "100"),
                ConfigOverride.config("work.tape.dueAge", "1 second"),
                ConfigOverride.config("work.tape.maxWait", "3 seconds"))).start();
        try {
            String requestId = HpssStagingIT.requestId(app.requestStaging(ids.toArray(String[]::new)));
            // once the first request's files are being listed, the hanging file is asked about on its own
            await().atMost(TIMEOUT).until(() -> hpss.events("LIST").stream().anyMatch(event -> event.detail().startsWith("few/v")));
            String hangingId = HpssStagingIT.requestId(app.requestStaging("few-hangs"));
            await().atMost(TIMEOUT).until(() -> !hpss.events("HANG").isEmpty());
            app.awaitStatus(requestId, "ready", TIMEOUT);

            List<Event> events = hpss.events();
            assertThat(hpss.mountedVolumes(volumes("few", 6))).as("one mount per volume")
                    .containsExactlyInAnyOrderElementsOf(volumes("few", 6));
            assertThat(mostSessionsReadingAtOnce(events)).as("hsi sessions reading at once").isBetween(1, 2);
            assertThat(app.get("/dts/staging?id=" + hangingId).json().path("status").asText()).as("the request whose listing hangs")
                    .isEqualTo("staging");
        } finally {
            app.stop();
        }
    }

    @Test
    void aRequestForAVolumeBeingReadIsReadInItsMountAheadOfTheHead() throws Exception {
        StandInHpss hpss = new StandInHpss(directory.resolve("hpss"));
        for (int position : new int[] {10, 20, 30, 70, 90}) {
            hpss.onTape("join-" + position, "join/at" + position + ".bin", 500 + position, "JO0001", position, 0);
        }
        StagehandTestApp app = hpss.app(TestDatabase.h2(directory), directory.resolve("staging"), List.of(
                ConfigOverride.config("backend.batchWindow", "100 milliseconds"),
                ConfigOverride.config("backend.environment.HSI_STANDIN_READ_MS", "2000"),
                ConfigOverride.config("backend.fetchIdleTimeout", "30 seconds"), // a read shows no progress for 2 s
                ConfigOverride.config("work.tape.dueAge", "100 milliseconds"))).start();
        try {
            String first = HpssStagingIT.requestId(app.requestStaging("join-10", "join-20", "join-30", "join-90"));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (hpss.events("LOCATE").isEmpty() && System.nanoTime() < deadline) { // hsi reads the file at 10
                Thread.sleep(20);
            }
            String late = HpssStagingIT.requestId(app.requestStaging("join-70"));
            app.awaitStatus(first, "ready", TIMEOUT);
            app.awaitStatus(late, "ready", TIMEOUT);

            assertThat(hpss.mountedVolumes(Set.of("JO0001"))).as("one mount").containsExactly("JO0001");
            assertThat(hpss.reads("join/")).extracting(Event::path).as("one pass, the late file in its place")
                    .containsExactly("join/at10.bin", "join/at20.bin", "join/at30.bin", "join/at70.bin", "join/at90.bin");
            assertThat(hpss.reads("join/")).extracting(Event::pid).containsOnly(hpss.reads("join/").get(0).pid());
        } finally {
            app.stop();
        }
    }

    @Test
    void twoInstancesOnOnePostgresNeverWorkOnOneVolumeAtOnceAndMountEachOnce() throws Exception {
        StandInHpss hpss = new StandInHpss(directory.resolve("hpss"));
        List<List<String>> requests = eightRequestsOverEightVolumes(hpss, "pair");
        TestDatabase database = TestDatabase.postgres();
        Path staging = directory.resolve("staging");
        StagehandTestApp first = hpss.app(database, staging, List.of(ConfigOverride.config("work.instanceName", "tape-a"),
                ConfigOverride.config("work.workers", "4"), ConfigOverride.config("backend.maxSessions", "2"),
                ConfigOverride.config("work.tape.dueAge", DUE_AGE.toMillis() + "ms"))).start();
        StagehandTestApp second = null;
        try {
            second = hpss.app(database, staging, List.of(ConfigOverride.config("work.instanceName", "tape-b"),
                    ConfigOverride.config("work.workers", "4"), ConfigOverride.config("backend.maxSessions", "2"),
                    ConfigOverride.config("work.tape.dueAge", DUE_AGE.toMillis() + "ms"))).start();
            List<String> requestIds = sendApart(requests, first, second);
            for (String requestId : requestIds) {
                first.awaitStatus(requestId, "ready", TIMEOUT);
            }

            List<Event> events = hpss.events();
            assertThat(hpss.mountedVolumes(volumes("pair", 8))).as("one mount per volume, over both instances")
                    .hasSize(8).containsExactlyInAnyOrderElementsOf(volumes("pair", 8));
            assertThat(hpss.reads("pair/")).as("each file read once").hasSize(96);
            Map<String, List<long[]>> sessionsByVolume = new HashMap<>();
            Map<Long, long[]> spans = sessionSpans(events);
            events.stream().filter(event -> event.kind().equals("MOUNT"))
                    .forEach(event -> sessionsByVolume.computeIfAbsent(event.detail(), volume -> new ArrayList<>())
                            .add(spans.get(event.pid())));
            sessionsByVolume.forEach((volume, sessions) -> {
                for (long[] one : sessions) {
                    for (long[] other : sessions) {
                        assertThat(one == other || one[1] < other[0] || other[1] < one[0])
                                .as("two hsi sessions on %s at once", volume).isTrue();
                    }
                }
            });
        } finally {
            if (second != null) {
                second.stop();
            }
            first.stop();
        }
    }

    /** From its first to its last logged event, for each hsi process. */
    private static Map<Long, long[]> sessionSpans(List<Event> events) {
        Map<Long, long[]> spans = new HashMap<>();
        for (Event event : events) {
            spans.merge(event.pid(), new long[] {event.epochMillis(), event.epochMillis()},
                    (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
        }
        return spans;
    }

    /** The most hsi processes that mounted a volume and were running at one time. */
    private static int mostSessionsReadingAtOnce(List<Event> events) {
        Map<Long, long[]> all = sessionSpans(events);
        Map<Long, long[]> spans = new HashMap<>();
        events.stream().filter(event -> event.kind().equals("MOUNT")).forEach(event -> spans.put(event.pid(), all.get(event.pid())));
        int most = 0;
        for (long[] span : spans.values()) {
            int overlapping = 0;
            for (long[] other : spans.values()) {
                if (other[0] <= span[0] && span[0] <= other[1]) {
                    overlapping++;
                }
            }
            most = Math.max(most, overlapping);
        }
        return most;
    }
}
