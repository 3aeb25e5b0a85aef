package org.stagehand.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stagehand.testing.rows.RequestFileFixture.aRequestFile;
import static org.stagehand.testing.rows.StagedFileFixture.aStagedFile;
import static org.stagehand.testing.rows.StagingRequestFixture.aStagingRequest;
import static org.stagehand.testing.rows.Times.T0;
import static org.stagehand.testing.rows.Times.t0Plus;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.codahale.metrics.MetricRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.stagehand.area.RelativePath;
import org.stagehand.area.StagingArea;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.support.Backoff;
import org.stagehand.catalog.CatalogEntry;
import org.stagehand.testing.DaoTest;
import org.stagehand.testing.rows.CatalogEntryFixture;
import org.stagehand.testing.rows.Rows;
import org.stagehand.testing.rows.StagingRequestFixture;

/**
 * What the recorder of a batch's outcomes writes, counts and says when a file's last attempt is
 * used up: the file fails for its requests while the claim is this instance's; once the claim is
 * lost (taken over, or taken back after its lease ran out) the file is whoever holds it now's, and
 * nothing failed here.
 */
class OutcomeRecorderDaoIT extends DaoTest {

    private static final String MINE = "t-mine";

    @TempDir
    Path stagingRoot;

    private final MetricRegistry metrics = new MetricRegistry();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void listenToTheRecorder() {
        logs.start();
        logger().addAppender(logs);
        logger().setLevel(Level.INFO);
    }

    @AfterEach
    void stopListening() {
        logger().detachAppender(logs);
        logger().setLevel(null);
    }

    @Test
    void aLastAttemptWhoseClaimWasLostIsNeitherRecordedNorCountedNorLoggedAsAFailure() throws IOException {
        CatalogEntryFixture file = entry("taken");
        aStagedFile(file).claimedBy("node-b", "t-theirs", t0Plus(60)).withAttempts(2).insert(jdbi);
        StagingRequestFixture request = waitingFor(file);

        lastAttemptEndsInRetry(file);

        assertThat(Rows.stagedFile(jdbi, "taken").orElseThrow())
                .extracting(Rows.StagedFileRow::state, Rows.StagedFileRow::leaseToken).containsExactly("ACTIVE", "t-theirs");
        assertThat(Rows.requestFileState(jdbi, request.requestId(), "taken")).isEqualTo("WAITING");
        assertThat(metrics.meter("stagehand.work.files-failed").getCount()).as("failures counted").isZero();
        assertThat(messages()).as("what the recorder said")
                .noneMatch(line -> line.contains("taken failed"))
                .anyMatch(line -> line.contains("staging of taken is not failed by this instance: its claim was lost"));
    }

    @Test
    void aLastAttemptWhoseClaimIsHeldFailsTheFileForItsRequestsAndCountsTheFailure() throws IOException {
        CatalogEntryFixture file = entry("held");
        aStagedFile(file).claimedBy("node-a", MINE, t0Plus(60)).withAttempts(1).insert(jdbi);
        StagingRequestFixture request = waitingFor(file);

        lastAttemptEndsInRetry(file);

        assertThat(Rows.workState(jdbi, "held")).isEqualTo("FAILED");
        assertThat(Rows.requestFileState(jdbi, request.requestId(), "held")).isEqualTo("FAILED");
        assertThat(metrics.meter("stagehand.work.files-failed.retries").getCount()).isEqualTo(1);
        assertThat(messages()).anyMatch(line -> line.contains("staging of held failed: gave up after 1 attempts"));
    }

    /** The one attempt allowed ends in a transient failure, under the claim {@link #MINE}. */
    private void lastAttemptEndsInRetry(CatalogEntryFixture file) throws IOException {
        CatalogEntry entry = new CatalogEntry(file.fileId(), new RelativePath(file.stagingPath()), "/archive/" + file.fileId(),
                OptionalLong.empty(), Optional.empty());
        ClaimedFile claim = new ClaimedFile(entry, 1, MINE);
        Path temporary = stagingRoot.resolve(".part-of-" + file.fileId());
        StagingItem item = new StagingItem(file.fileId(), entry.archiveLocation(), file.stagingPath(), temporary,
                OptionalLong.empty(), Optional.empty(), 1);
        Duration second = Duration.ofSeconds(1);
        // A retry hands nothing to the promotion queue.
        OutcomeRecorder recorder = new OutcomeRecorder(jdbi.onDemand(WorkDao.class), StagingArea.open(stagingRoot, true),
                null, Map.of(file.fileId(), claim), new OutcomeRecorder.RetryPolicy(1, new Backoff(second, second)),
                new WorkMetrics(metrics), new ClientMessages(stagingRoot, List.of()), Clock.fixed(T0, ZoneOffset.UTC));

        recorder.retry(item, claim, "the copy broke", Optional.empty());
    }

    private StagingRequestFixture waitingFor(CatalogEntryFixture file) {
        StagingRequestFixture request = aStagingRequest().withFileCount(1).insert(jdbi);
        aRequestFile(request, file).insert(jdbi);
        return request;
    }

    private List<String> messages() {
        return List.copyOf(logs.list).stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static Logger logger() {
        return (Logger) LoggerFactory.getLogger("org.stagehand.work.OutcomeRecorder");
    }
}
