package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.stagehand.testing.Freezer;
import org.stagehand.testing.OverrideProperties;
import org.stagehand.testing.RecordingBackend;
import org.stagehand.testing.RecordingBackend.Recorder;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.StagehandTestApp.Reply;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;
import org.stagehand.work.FreezePoints.Point;

/**
 * Two instances on one PostgreSQL database and one staging area; the first freezes (as by SIGSTOP)
 * with copies under way in its backend and a group of verified files inside the transaction that
 * records them, its row locks held. The second takes every claim over once the leases ran out and
 * the server ended the frozen session, and stages every file. When the first resumes, it must
 * notice that its claims are gone, stop the copies in its backend and move nothing into place:
 * each file is renamed into place once, by the instance that holds its claim.
 */
class FrozenInstanceIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Claimed first (IDs in order, four to a batch); the first copy hangs in the frozen instance's backend. */
    private static final String[] BATCH = {"h0", "h1", "h2", "h3"};
    /** Copied and verified by the frozen instance, then held inside its recording transaction. */
    private static final String[] VERIFIED = {"p0", "p1", "p2", "p3"};

    @TempDir
    Path directory;

    private StagehandTestApp instance(String name, String backend, TestDatabase database, TestArchive archive,
                                      Path catalog, Freezer freezer) {
        return new StagehandTestApp(StagehandTestApp.overrides(database, directory.resolve("staging"),
                archive.root(), catalog,
                ConfigOverride.config("backend.type", "recording"),
                ConfigOverride.config("backend.name", backend),
                ConfigOverride.config("work.instanceName", name),
                ConfigOverride.config("work.workers", "2"),
                ConfigOverride.config("work.maxBatchSize", "4"),
                ConfigOverride.config("work.leaseDuration", "2s"),
                ConfigOverride.config("work.transactionIdleTimeout", "1s"),
                ConfigOverride.config("work.pollInterval", "100ms")), freezer);
    }

    /**
     * How the frozen instance resumes: its lease thread first (it must find its claims lost and
     * stop the copies in its backend), or its workers and recorder first, its lease thread still
     * frozen (the copies it completes after the takeover must not be moved into place).
     */
    @ParameterizedTest(name = "lease thread resumes first: {0}")
    @ValueSource(booleans = {true, false})
    void anInstanceResumedAfterItsClaimsWereTakenOverMovesNothingIntoPlace(boolean leasesFirst) throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive"));
        List<String> ids = new ArrayList<>();
        for (String id : concat(BATCH, VERIFIED)) {
            archive.file(id, "frozen/" + id + ".bin", 30_000 + id.hashCode() % 1000);
            ids.add(id);
        }
        Path catalog = archive.writeCatalog(directory.resolve("catalog.json"));
        Path staging = directory.resolve("staging");
        TestDatabase database = TestDatabase.postgres();
        Recorder copiesOfA = RecordingBackend.recorder("frozen-node-a-" + leasesFirst);
        copiesOfA.hold(BATCH[0]);
        Freezer freezerOfA = new Freezer();
        freezerOfA.freeze(Point.RENEWING_LEASES);
        freezerOfA.freeze(Point.MOVING_INTO_PLACE);

        Map<String, String> propertiesBefore = OverrideProperties.save();
        ListAppender<ILoggingEvent> outcomeLogs = new ListAppender<>();
        StagehandTestApp a = instance("node-a", "frozen-node-a-" + leasesFirst, database, archive, catalog,
                freezerOfA).start();
        StagehandTestApp b = null;
        try {
            Reply accepted = a.requestStaging(ids.toArray(String[]::new));
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
            String request = accepted.json().get("request_id").asText();
            // a freezes: a copy hanging, verified files inside the recording transaction, no renewals.
            await().atMost(TIMEOUT).until(() -> freezerOfA.heldAt(Point.MOVING_INTO_PLACE) == 1
                    && copiesOfA.copiesOf(BATCH[0]) == 1);
            assertThat(a.runTask("pause").status()).isEqualTo(200); // its claim loop is frozen too

            // b takes everything over: the expired claims, and those whose rows a's frozen session
            // held locked once the server ended that session.
            b = instance("node-b", "frozen-node-b-" + leasesFirst, database, archive, catalog, new Freezer()).start();
            // After the last start: each start resets the logging (to WARN in the tests).
            outcomeLogs.start();
            outcomeRecorderLogger().addAppender(outcomeLogs);
            outcomeRecorderLogger().setLevel(Level.INFO);
            JsonNode status = b.awaitStatus(request, "ready", TIMEOUT);
            assertThat(status.get("files").get("ready").asInt()).isEqualTo(ids.size());

            if (leasesFirst) {
                freezerOfA.thaw(Point.RENEWING_LEASES);
                // The hanging copy is cancelled, in the backend, as soon as the loss is known.
                await().atMost(TIMEOUT).until(() -> copiesOfA.wasCancelledWhileHeld(BATCH[0]));
                freezerOfA.thaw(Point.MOVING_INTO_PLACE);
            } else {
                // The backend goes on (the rest of the batch is copied afresh) while the claims are
                // not yet known lost: only the check when recording stops them reaching their places.
                freezerOfA.thaw(Point.MOVING_INTO_PLACE);
                copiesOfA.releaseHeld();
                await().atMost(TIMEOUT).until(() -> copiesOfA.copiesOf(BATCH[BATCH.length - 1]) == 1);
            }
            await().atMost(TIMEOUT).until(() -> a.metrics().counter("stagehand.work.batches-running").getCount() == 0
                    && a.metrics().gauge("stagehand.work.files-awaiting-promotion", null).getValue().equals(0));
            await().atMost(TIMEOUT).until(() -> StagehandTestApp.temporaryFilesBelow(staging).isEmpty());
            freezerOfA.thaw(Point.RENEWING_LEASES);

            long movedByA = a.metrics().meter("stagehand.work.files-staged").getCount();
            long movedByB = b.metrics().meter("stagehand.work.files-staged").getCount();
            assertThat(movedByA).as("files moved into place by the instance whose claims were taken over").isZero();
            assertThat(movedByA + movedByB).as("renames against distinct files").isEqualTo(ids.size());
            assertThat(a.metrics().meter("stagehand.work.files-retried").getCount())
                    .as("retries counted by the instance whose claims were taken over").isZero();
            List<String> outcomes = List.copyOf(outcomeLogs.list).stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(outcomes).as("what the instances said of the outcomes")
                    .noneMatch(line -> line.contains("will be retried"))
                    .anyMatch(line -> line.contains("is not retried by this instance: its claim was lost"));
            for (String id : ids) {
                assertThat(copiesOfA.copiesOf(id)).as("a's copies of " + id).isLessThanOrEqualTo(1);
                assertThat(staging.resolve("frozen/" + id + ".bin")).hasBinaryContent(archive.bytes("frozen/" + id + ".bin"));
            }
            JsonNode after = b.get("/dts/staging/" + request).json();
            assertThat(after.get("status").asText()).isEqualTo("ready");
            assertThat(after.get("files").get("failed").asInt()).isZero();
        } finally {
            outcomeRecorderLogger().detachAppender(outcomeLogs);
            outcomeRecorderLogger().setLevel(null);
            copiesOfA.releaseHeld();
            freezerOfA.thaw(Point.RENEWING_LEASES);
            freezerOfA.thaw(Point.MOVING_INTO_PLACE);
            a.stop();
            if (b != null) {
                b.stop();
            }
            OverrideProperties.restore(propertiesBefore);
        }
    }

    private static Logger outcomeRecorderLogger() {
        return (Logger) LoggerFactory.getLogger("org.stagehand.work.OutcomeRecorder");
    }

    private static String[] concat(String[] first, String[] second) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(second));
        return all.toArray(String[]::new);
    }
}
