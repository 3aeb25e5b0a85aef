package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
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

    private static List<String> sendApart(StagehandTestApp app, List<List<String>> requests, long millisApart)
            throws InterruptedException {
        List<String> requestIds = new ArrayList<>();
        for (List<String> ids : requests) {
            requestIds.add(HpssStagingIT.requestId(app.requestStaging(ids.toArray(String[]::new))));
            Thread.sleep(millisApart);
        }
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
                ConfigOverride.config("work.tape.dueAge", "2 seconds"))).start();
        try {
            assertThat(app.configuration().getWork().getWorkers()).as("work.workers, the default").isEqualTo(4);
            List<String> requestIds = sendApart(app, requests, 100);
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

    @Test
    void withFewerSessionsThanVolumesDrivesAreSharedOutAndEveryVolumeIsMountedOnce() throws Exception {
        StandInHpss hpss = new StandInHpss(directory.resolve("hpss"));
        List<String> ids = new ArrayList<>();
        for (int v = 0; v < 6; v++) {
            for (int f = 0; f < 5; f++) {
                String id = "few-" + v + "-" + f;
                hpss.onTape(id, "few/v" + v + "/f" + f + ".bin", 1_000 + f, volume("few", v), 10L * (5 - f), 0);
                ids.add(id);
            }
        }
        StagehandTestApp app = hpss.app(TestDatabase.h2(directory), directory.resolve("staging"), List.of(ConfigOverride.config("work.workers", "4"),
                ConfigOverride.config("backend.maxSessions", "2"),
                ConfigOverride.config("backend.batchWindow", "100 milliseconds"),
                ConfigOverride.config("backend.environment.HSI_STANDIN_READ_MS", "100"),
                ConfigOverride.config("work.tape.dueAge", "1 second"),
                ConfigOverride.config("work.tape.maxWait", "3 seconds"))).start();
        try {
            String requestId = HpssStagingIT.requestId(app.requestStaging(ids.toArray(String[]::new)));
            app.awaitStatus(requestId, "ready", TIMEOUT);

            List<Event> events = hpss.events();
            assertThat(hpss.mountedVolumes(volumes("few", 6))).as("one mount per volume")
                    .containsExactlyInAnyOrderElementsOf(volumes("few", 6));
            assertThat(mostSessionsReadingAtOnce(events, "few/")).as("hsi sessions reading at once").isBetween(1, 2);
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
                ConfigOverride.config("work.tape.dueAge", "2 seconds"))).start();
        StagehandTestApp second = null;
        try {
            second = hpss.app(database, staging, List.of(ConfigOverride.config("work.instanceName", "tape-b"),
                    ConfigOverride.config("work.workers", "4"), ConfigOverride.config("backend.maxSessions", "2"),
                    ConfigOverride.config("work.tape.dueAge", "2 seconds"))).start();
            List<String> requestIds = new ArrayList<>();
            for (int r = 0; r < requests.size(); r++) {
                StagehandTestApp app = r % 2 == 0 ? first : second;
                requestIds.add(HpssStagingIT.requestId(app.requestStaging(requests.get(r).toArray(String[]::new))));
                Thread.sleep(100);
            }
            for (String requestId : requestIds) {
                first.awaitStatus(requestId, "ready", TIMEOUT);
            }

            List<Event> events = hpss.events();
            assertThat(hpss.mountedVolumes(volumes("pair", 8))).as("one mount per volume, over both instances")
                    .hasSize(8).containsExactlyInAnyOrderElementsOf(volumes("pair", 8));
            assertThat(hpss.reads("pair/")).as("each file read once").hasSize(96);
            Map<Long, String> volumeOfSession = new HashMap<>();
            events.stream().filter(event -> event.kind().equals("MOUNT")).forEach(event -> volumeOfSession.put(event.pid(), event.detail()));
            assertThat(volumeOfSession.values().stream().filter(volumes("pair", 8)::contains).collect(Collectors.toSet()))
                    .as("volumes read").hasSize(8);
        } finally {
            if (second != null) {
                second.stop();
            }
            first.stop();
        }
    }

    /** The most hsi processes that were between their first and last read of {@code prefix} files at one time. */
    private static int mostSessionsReadingAtOnce(List<Event> events, String prefix) {
        Map<Long, long[]> spans = new HashMap<>();
        for (Event event : events) {
            if ((event.kind().equals("READ") || event.kind().equals("MOUNT")) && (event.kind().equals("MOUNT")
                    || event.path().startsWith(prefix))) {
                spans.merge(event.pid(), new long[] {event.epochMillis(), event.epochMillis()},
                        (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            }
        }
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
