package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.it.HpssStagingIT.StandInHpss;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.TestDatabase;

/** The console's tape view over HPSS (the hsi stand-in), whose queue is planned by volume and whose mounts are recorded. */
class ConsoleTapeIT {

    @TempDir
    Path directory;

    @Test
    void theTapeViewShowsTheVolumesQueuedWithTheirFilesAndBytes() throws Exception {
        StandInHpss hpss = new StandInHpss(directory.resolve("hpss"));
        hpss.onTape("t-1", "tape/a.bin", 1_000, "CV0001", 10, 0)
                .onTape("t-2", "tape/b.bin", 2_000, "CV0001", 20, 0)
                .onTape("t-3", "tape/c.bin", 4_000, "CV0002", 5, 0);
        // Volumes become due only after an hour: they stay queued while the test looks.
        StagehandTestApp app = hpss.app(TestDatabase.h2(directory), directory.resolve("staging"),
                List.of(ConfigOverride.config("work.tape.dueAge", "1 hour"),
                        ConfigOverride.config("work.tape.maxWait", "2 hours"))).start();
        try {
            HpssStagingIT.requestId(app.requestStaging("t-1", "t-2", "t-3"));
            await().atMost(Duration.ofSeconds(60)).until(() -> tape(app).get("volumes_queued").size() == 2);
            JsonNode tape = tape(app);
            assertThat(tape.get("volumes_reported").asBoolean()).isTrue();
            JsonNode first = tape.get("volumes_queued").get(0);
            JsonNode second = tape.get("volumes_queued").get(1);
            assertThat(List.of(first.get("volume").asText(), second.get("volume").asText()))
                    .containsExactlyInAnyOrder("CV0001", "CV0002");
            JsonNode cv1 = first.get("volume").asText().equals("CV0001") ? first : second;
            assertThat(cv1.get("files").asLong()).isEqualTo(2);
            assertThat(cv1.get("bytes").asLong()).isEqualTo(3_000);
            assertThat(cv1.has("mount_order")).as("not due yet").isFalse();
            assertThat(tape.get("volumes_in_progress")).isEmpty();
            String page = app.getAdmin("/console/tape").body();
            assertThat(page).contains("CV0001").contains("CV0002").contains("not due")
                    .doesNotContain("does not report volumes");
        } finally {
            app.stop();
        }
    }

    @Test
    void afterAStagingTheTapeViewCountsTheMountsTheStandInsLogShows() throws Exception {
        StandInHpss hpss = new StandInHpss(directory.resolve("hpss"));
        hpss.onTape("t-1", "tape/a.bin", 1_000, "CV0001", 10, 0)
                .onTape("t-2", "tape/b.bin", 2_000, "CV0001", 20, 0)
                .onTape("t-3", "tape/c.bin", 4_000, "CV0002", 5, 0);
        StagehandTestApp app = hpss.app(TestDatabase.h2(directory), directory.resolve("staging"),
                List.of(ConfigOverride.config("work.tape.dueAge", "200ms"))).start();
        try {
            assertThat(tape(app).get("mounts_last_24h").asLong()).as("nothing mounted yet").isZero();
            String requestId = HpssStagingIT.requestId(app.requestStaging("t-1", "t-2", "t-3"));
            app.awaitStatus(requestId, "ready", Duration.ofSeconds(60));

            List<String> mounted = hpss.mountedVolumes(Set.of("CV0001", "CV0002"));
            assertThat(mounted).as("the stand-in mounted both volumes").contains("CV0001", "CV0002");
            JsonNode tape = tape(app);
            assertThat(tape.get("mounts_last_24h").asLong()).isEqualTo(mounted.size());
            Map<String, Long> byVolume = new TreeMap<>();
            tape.get("mounts_by_volume").forEach(volume -> byVolume.put(volume.get("volume").asText(),
                    volume.get("mounts").asLong()));
            assertThat(byVolume).isEqualTo(mounted.stream().collect(Collectors.groupingBy(volume -> volume, TreeMap::new,
                    Collectors.counting())));
            String page = app.getAdmin("/console/tape").body();
            assertThat(page).contains("<span data-key=\"mounts_last_24h\">" + mounted.size() + "</span>")
                    .contains("<th scope=\"row\">CV0002</th><td class=\"num\">"
                            + Collections.frequency(mounted, "CV0002") + "</td>");
        } finally {
            app.stop();
        }
    }

    private static JsonNode tape(StagehandTestApp app) {
        StagehandTestApp.Reply reply = app.getAdmin("/console/api/tape");
        assertThat(reply.status()).isEqualTo(200);
        return reply.json();
    }
}
