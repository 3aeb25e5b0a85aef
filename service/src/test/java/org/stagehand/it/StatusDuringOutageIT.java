package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.testing.DtsJdpClient;
import org.stagehand.testing.OverrideProperties;
import org.stagehand.testing.RecordingBackend;
import org.stagehand.testing.RecordingBackend.Recorder;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.StagehandTestApp.Reply;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/**
 * Polls while the PostgreSQL server is stopped: two instances share it, and each answers from
 * memory, with the last state it knew, for the requests it created or answered and for those the
 * other created (told by the database's notifications, of a new request on a channel of its own); a
 * request it knows nothing of is a 503 on {@code /dts/staging} and {@code new} on the JDP door, which
 * never answers 5xx.
 * After the outage the answers come from the database again.
 */
class StatusDuringOutageIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String RECORDER = "status-during-outage";

    @TempDir
    Path directory;

    @Test
    void pollsAreAnsweredFromMemoryWithTheLastStateKnownWhileTheDatabaseIsDown() throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive"));
        archive.file("done-a", "outage/done-a.bin", 1_000);
        archive.file("done-b", "outage/done-b.bin", 2_000);
        archive.file("held", "outage/held.bin", 3_000);
        archive.file("jdp-b", "outage/jdp-b.bin", 4_000);
        Path catalog = archive.writeCatalog(directory.resolve("catalog.json"));
        Path data = directory.resolve("pgdata");
        int port = DatabaseOutageIT.freePort();
        Recorder recorder = RecordingBackend.recorder(RECORDER);
        recorder.hold("held");

        EmbeddedPostgres postgres = DatabaseOutageIT.postgres(data, port);
        TestDatabase database = DatabaseOutageIT.database(postgres);
        Map<String, String> propertiesBefore = OverrideProperties.save();
        StagehandTestApp a = null;
        StagehandTestApp b = null;
        try {
            a = instance("node-a", database, archive, catalog).start();
            b = instance("node-b", database, archive, catalog).start();
            StagehandTestApp first = a;
            StagehandTestApp second = b;
            String readyOnA = accepted(a.requestStaging("done-a"));
            a.awaitStatus(readyOnA, "ready", TIMEOUT);
            String stagingOnA = accepted(a.requestStaging("held"));
            await().atMost(TIMEOUT).until(() -> recorder.copiesOf("held") == 1);
            // Created and finished on b, never asked of a: a knows it from the notifications alone.
            String readyOnB = accepted(b.requestStaging("done-b"));
            b.awaitStatus(readyOnB, "ready", TIMEOUT);
            // Created on b and changed by nothing since (its file is being copied already): a knows it
            // from the notification of its creation alone.
            String stagingOnB = accepted(b.requestStaging("held"));
            // Through the JDP door of b; a hears of its integer ID from the database alone.
            String jdpOnB = Long.toString(jdp(b).stage(List.of("jdp-b")).json().get("request_id").asLong());
            JdpApiIT.pollUntil(b, jdpOnB, "ready");
            await().atMost(TIMEOUT).until(() -> allChangesRead(first) && allChangesRead(second)
                    && remembered(first) >= 5 && remembered(second) >= 5
                    && gauge(first, "stagehand.jdp-ids.to-look-up") == 0 && gauge(first, "stagehand.jdp-ids.known") >= 1);

            postgres.close();

            JsonNode ready = fromMemory(a, readyOnA);
            assertThat(ready.get("status").asText()).isEqualTo("ready");
            assertThat(ready.get("files").get("ready").asInt()).isEqualTo(1);
            assertThat(ready.get("bytes").get("total").asLong()).isEqualTo(1_000);
            assertThat(fromMemory(a, stagingOnA).get("status").asText()).isEqualTo("staging");
            JsonNode other = fromMemory(a, readyOnB);
            assertThat(other.get("status").asText()).isEqualTo("ready");
            assertThat(other.get("bytes").get("ready").asLong()).isEqualTo(2_000);
            assertThat(fromMemory(a, stagingOnB).get("status").asText()).isEqualTo("staging");
            assertThat(fromMemory(b, readyOnA).get("status").asText()).isEqualTo("ready");
            assertThat(fromMemory(b, stagingOnA).get("status").asText()).isEqualTo("staging");

            // The JDP door never answers 5xx: the last state known, or 'new' for a request not known here.
            DtsJdpClient.Answer jdpReady = jdp(a).status(jdpOnB);
            assertThat(jdpReady.status()).as(jdpReady.body()).isEqualTo(200);
            assertThat(jdpReady.json().get("status").asText()).isEqualTo("ready");
            assertThat(jdpReady.json().get("as_of").asText()).isNotBlank();
            DtsJdpClient.Answer jdpUnknown = jdp(a).status("4242424242");
            assertThat(jdpUnknown.status()).as(jdpUnknown.body()).isEqualTo(200);
            assertThat(jdpUnknown.json().get("status").asText()).isEqualTo("new");
            assertThat(jdpUnknown.json().get("message").asText()).contains("cannot be reached");

            Reply unknown = a.get("/dts/staging?id=" + UUID.randomUUID());
            assertThat(unknown.status()).as(unknown.body()).isEqualTo(503);
            assertThat(unknown.json().get("code").asInt()).isEqualTo(503);
            assertThat(unknown.json().get("message").asText()).contains("cannot be reached");

            postgres = DatabaseOutageIT.postgres(data, port);
            recorder.releaseHeld();
            JsonNode settled = a.awaitStatus(stagingOnA, "ready", TIMEOUT);
            assertThat(settled.has("as_of")).as("read from the database again").isFalse();
            assertThat(a.get("/dts/staging?id=" + UUID.randomUUID()).status()).isEqualTo(404);
        } finally {
            recorder.releaseHeld();
            if (a != null) {
                a.stop();
            }
            if (b != null) {
                b.stop();
            }
            OverrideProperties.restore(propertiesBefore);
            postgres.close();
        }
    }

    private StagehandTestApp instance(String name, TestDatabase database, TestArchive archive, Path catalog) {
        return new StagehandTestApp(StagehandTestApp.overrides(database, directory.resolve("staging"), archive.root(),
                catalog,
                ConfigOverride.config("backend.type", "recording"),
                ConfigOverride.config("backend.name", RECORDER),
                ConfigOverride.config("work.instanceName", name),
                ConfigOverride.config("work.leaseDuration", "2s"),
                ConfigOverride.config("jdpApi.enabled", "true"),
                ConfigOverride.config("jdpApi.secretsEnvironmentVariable", "STAGEHAND_IT_JDP_DOOR_SECRETS")));
    }

    private static DtsJdpClient jdp(StagehandTestApp app) {
        return new DtsJdpClient(app.port(), JdpApiIT.ORCID, JdpApiIT.SECRET);
    }

    /** The answer to the DTS's poll, which must be a 200 from memory, marked with when it was read. */
    private static JsonNode fromMemory(StagehandTestApp app, String request) {
        Reply reply = app.get("/dts/staging?id=" + request);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().get("request_id").asText()).isEqualTo(request);
        assertThat(reply.json().get("as_of").asText()).isNotBlank();
        return reply.json();
    }

    private static boolean allChangesRead(StagehandTestApp app) {
        return gauge(app, "stagehand.status.changes-to-read") == 0;
    }

    private static long remembered(StagehandTestApp app) {
        return gauge(app, "stagehand.status.remembered");
    }

    private static long gauge(StagehandTestApp app, String name) {
        return app.getAdmin("/metrics").json().get("gauges").get(name).get("value").asLong();
    }

    private static String accepted(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("request_id").asText();
    }
}
