package org.stagehand.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.stagehand.testing.rows.CatalogEntryFixture.aCatalogEntry;
import static org.stagehand.testing.rows.RequestFileFixture.aRequestFile;
import static org.stagehand.testing.rows.RequestPathFixture.aRequestPath;
import static org.stagehand.testing.rows.StagedFileFixture.aStagedFile;
import static org.stagehand.testing.rows.StagingRequestFixture.aStagingRequest;
import static org.stagehand.testing.rows.Times.T0;
import static org.stagehand.testing.rows.Times.t0Plus;

import com.codahale.metrics.MetricRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.area.RelativePath;
import org.stagehand.area.StagingArea;
import org.stagehand.db.NameCommentTemplateEngine;
import org.stagehand.requests.PathRequest.RequestedPath;
import org.stagehand.requests.PathStatus.State;
import org.stagehand.testing.DaoDatabase;
import org.stagehand.testing.rows.CatalogEntryFixture;
import org.stagehand.testing.rows.StagingRequestFixture;

/**
 * The Tape REST poll answered from the live cache on real PostgreSQL: this instance's
 * {@link PathRequests} reads through a Jdbi that opens a connection of its own for every handle (no
 * pool), so a poll that touches the database is counted; its {@link StatusChangeListener} listens as
 * the service's does. Changes are made by another instance on the same database (its cancel, forget,
 * the expansion of a stored path list), or by plain SQL as another writer would, so only the
 * notifications can tell this instance of them. PostgreSQL only: H2 cannot notify, and there the
 * cache stays dark.
 */
class PathStatusCacheIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final MetricRegistry metrics = new MetricRegistry();
    private final AtomicInteger connectionsOpened = new AtomicInteger();
    /** The test's own Jdbi on the database: rows, plain SQL, and the other instance. */
    private Jdbi jdbi;
    private String url;
    private StatusCache cache;
    private StatusChangeListener listener;
    private PathRequests requests;
    private PathRequests otherInstance;

    @BeforeEach
    void startInstances(@TempDir Path staging) throws IOException, SQLException {
        jdbi = DaoDatabase.POSTGRESQL.emptied();
        url = jdbi.withHandle(handle -> handle.getConnection().getMetaData().getURL());
        Jdbi counted = Jdbi.create(() -> {
            connectionsOpened.incrementAndGet();
            return connect();
        });
        counted.setTemplateEngine(new NameCommentTemplateEngine());
        cache = StatusCache.create(100, 100_000, Duration.ofMinutes(10), metrics);
        requests = pathRequests(counted, cache, staging);
        otherInstance = pathRequests(jdbi, StatusCache.create(100, 100_000, Duration.ofMinutes(10), new MetricRegistry()), staging);
        listener = new StatusChangeListener(this::connect, cache);
        listener.start();
        await().atMost(TIMEOUT).until(cache::isLive);
    }

    @AfterEach
    void stopListening() throws InterruptedException {
        listener.stop();
    }

    @Test
    void aSecondPollOfAnUnchangedRequestOpensNoConnectionAndGetsTheSameAnswer() {
        UUID request = aPathRequest();
        PathStatus first = requests.status(request).orElseThrow();
        int afterFirst = connectionsOpened.get();

        PathStatus second = requests.status(request).orElseThrow();
        PathStatus third = requests.status(request).orElseThrow();

        assertThat(connectionsOpened.get()).as("connections opened by the later polls").isEqualTo(afterFirst);
        assertThat(second).isEqualTo(first).isEqualTo(third);
        assertThat(first.files()).extracting(PathStatus.PathFile::state)
                .containsExactly(State.QUEUED, State.QUEUED, State.QUEUED, State.FAILED);
        assertThat(metrics.meter("stagehand.tape-status-cache.hits").getCount()).isEqualTo(2);
    }

    @Test
    void aFileMadeReadyByAnotherWriterIsShownAtTheNextPollOnceNotified() {
        UUID request = aPathRequest();
        answeredFromMemory(request);

        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE request_file SET state = 'READY', completed_at = :at
                        WHERE request_id = :id AND file_id = 'f0'""")
                .bind("id", request).bind("at", t0Plus(20)).execute());

        await().atMost(TIMEOUT).until(() -> stateOf(request, 0) == State.READY);
        assertThat(answeredFromMemory(request).files().get(0).finishedAt()).isEqualTo(t0Plus(20));
    }

    @Test
    void aCancelOnAnotherInstanceIsShownAtTheNextPollOnceNotified() {
        UUID request = aPathRequest();
        answeredFromMemory(request);

        otherInstance.cancel(request, List.of("/archive/data/f1"));

        await().atMost(TIMEOUT).until(() -> stateOf(request, 1) == State.CANCELLED);
        PathStatus cancelled = answeredFromMemory(request);
        assertThat(cancelled.files().get(1).error()).isEqualTo(PathRequests.CANCELLED_BY_CLIENT);
        assertThat(cancelled.files().get(0).state()).isEqualTo(State.QUEUED);
    }

    @Test
    void workClaimedElsewhereShowsItsFileStagingAndTheRequestStartedOnceNotified() {
        UUID request = aPathRequest();
        assertThat(answeredFromMemory(request).startedAt()).isNull();

        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE staged_file SET state = 'ACTIVE', lease_owner = 'elsewhere', lease_token = 'token',
                            lease_expires_at = :expires, updated_at = :at
                        WHERE file_id = 'f2'""")
                .bind("expires", t0Plus(600)).bind("at", t0Plus(30)).execute());

        await().atMost(TIMEOUT).until(() -> stateOf(request, 2) == State.STAGING);
        // The read that saw the start recorded it; that update's notification drops the answer once.
        PathStatus started = answeredFromMemory(request);
        assertThat(started.startedAt()).isEqualTo(t0Plus(30));
        assertThat(started.files().get(2).state()).isEqualTo(State.STAGING);
        Instant recorded = jdbi.withHandle(handle -> handle.createQuery("SELECT started_at FROM staging_request")
                .mapTo(Instant.class).one());
        assertThat(recorded).isEqualTo(t0Plus(30));
    }

    @Test
    void aRequestForgottenOnAnotherInstanceIsGoneAtTheNextPollOnceNotified() {
        UUID request = aPathRequest();
        answeredFromMemory(request);

        otherInstance.forget(request);

        await().atMost(TIMEOUT).until(() -> requests.status(request).isEmpty());
    }

    @Test
    void aListedRequestsAnswerIsDroppedWhenAnotherInstanceExpandsIt() {
        aCatalogEntry().withFileId("a").withStagingPath("data/a").insert(jdbi);
        UUID request = otherInstance.submit(new PathRequest("fts", Optional.empty(), List.of(
                RequestedPath.of("/archive/data/a", new RelativePath("data/a"), null),
                RequestedPath.of("/archive/data/missing", new RelativePath("data/missing"), null))), 10, 10);
        assertThat(answeredFromMemory(request).files()).extracting(PathStatus.PathFile::state)
                .containsExactly(State.QUEUED, State.QUEUED);

        assertThat(otherInstance.expandOldestLists()).isOne();

        await().atMost(TIMEOUT).until(() -> stateOf(request, 1) == State.FAILED);
        assertThat(answeredFromMemory(request).files().get(1).error()).isEqualTo("no such file: /archive/data/missing");
    }

    @Test
    void nothingIsKeptOrServedWhileTheCacheIsDark() throws InterruptedException {
        UUID request = aPathRequest();
        answeredFromMemory(request);

        listener.stop();
        int before = connectionsOpened.get();
        requests.status(request);
        requests.status(request);
        assertThat(connectionsOpened.get()).as("connections opened by two polls while dark").isEqualTo(before + 2);

        // Unnotified now, and seen at once all the same.
        jdbi.useHandle(handle -> handle.execute("UPDATE request_file SET state = 'FAILED', error = 'gone'"
                + " WHERE request_id = ? AND file_id = 'f1'", request));
        assertThat(stateOf(request, 1)).isEqualTo(State.FAILED);
    }

    /**
     * Polls twice until the second poll opened no connection and agreed with the first, and returns
     * it: a read raced by any notification (e.g. of the start the read itself recorded) is not kept.
     */
    private PathStatus answeredFromMemory(UUID request) {
        PathStatus[] second = new PathStatus[1];
        await().atMost(TIMEOUT).until(() -> {
            PathStatus first = requests.status(request).orElseThrow();
            int before = connectionsOpened.get();
            second[0] = requests.status(request).orElseThrow();
            return connectionsOpened.get() == before && second[0].equals(first);
        });
        return second[0];
    }

    private State stateOf(UUID request, int position) {
        return requests.status(request).orElseThrow().files().get(position).state();
    }

    /** Three cataloged files, queued, and a path that names no file. */
    private UUID aPathRequest() {
        StagingRequestFixture request = aStagingRequest().withCreatedAt(T0).withClient("fts").insert(jdbi);
        for (int i = 0; i < 3; i++) {
            CatalogEntryFixture file = aCatalogEntry().withFileId("f" + i).withStagingPath("data/f" + i).insert(jdbi);
            aStagedFile(file).insert(jdbi);
            aRequestFile(request, file).namedBy(i, "/archive/data/f" + i).insert(jdbi);
        }
        aRequestPath(request, 3, "/archive/missing").withError("no such file").insert(jdbi);
        return request.requestId();
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, "postgres", "");
    }

    private static PathRequests pathRequests(Jdbi jdbi, StatusCache cache, Path staging) throws IOException {
        Clock clock = Clock.systemUTC();
        StagingArea area = StagingArea.open(staging, true);
        RequestStatusReader reader = new RequestStatusReader(jdbi, cache,
                new ReadyEstimates(jdbi, Optional.empty(), Optional::empty, clock), 1000, 1_000_000, clock, new MetricRegistry());
        RequestIntake intake = new RequestIntake(jdbi, true, reader, area, new StagingConfiguration(), () -> { }, clock);
        return new PathRequests(jdbi, intake, reader, area, cache, () -> { }, clock, Optional.empty());
    }
}
