package org.stagehand.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.codahale.metrics.MetricRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.area.RelativePath;
import org.stagehand.area.StagingArea;
import org.stagehand.lifecycle.LifecycleDao;
import org.stagehand.requests.PathRequest.RequestedPath;
import org.stagehand.requests.PathStatus.PathFile;
import org.stagehand.requests.PathStatus.State;
import org.stagehand.testing.DaoTest;
import org.stagehand.testing.rows.Rows;
import org.stagehand.work.RequestFileState;

/**
 * A stage request is stored as its path list and expanded into its files' rows later
 * ({@link PathListExpander}), on H2 and PostgreSQL: what it answers before and after, and what
 * cancel, forget and a second expansion do to a list.
 */
class PathListExpansionDaoIT extends DaoTest {

    @TempDir
    Path stagingRoot;

    private PathRequests requests;
    private RequestIntake intake;
    private RequestStatusReader reader;

    @BeforeEach
    void engine() throws IOException {
        Clock clock = Clock.systemUTC();
        MetricRegistry metrics = new MetricRegistry();
        StatusCache cache = StatusCache.create(100, 100_000, Duration.ofMinutes(1), metrics);
        reader = new RequestStatusReader(jdbi, cache, new ReadyEstimates(jdbi, Optional.empty(), Optional::empty, clock),
                100, 100_000, clock, metrics);
        StagingArea area = StagingArea.open(stagingRoot, true);
        // Neither started: requests are stored on the caller's thread, lists expanded only when the test says.
        intake = new RequestIntake(jdbi, database.isPostgres(), reader, area, new StagingConfiguration(), () -> { }, clock);
        requests = new PathRequests(jdbi, intake, reader, area, cache, () -> { }, clock, Optional.empty());
    }

    private static RequestedPath path(String name) {
        return RequestedPath.of("/archive/" + name, new RelativePath(name), null);
    }

    private UUID stage(RequestedPath... paths) {
        return requests.submit(new PathRequest("fts", Optional.empty(), List.of(paths)), 1000, 1000);
    }

    private List<PathFile> files(UUID requestId) {
        return requests.status(requestId).orElseThrow().files();
    }

    @Test
    void aStageIsAnsweredFromItsListUntilExpandedAndThenFromItsFiles() {
        entry("a");
        UUID id = stage(path("data/a"), path("data/missing"), RequestedPath.refused("/elsewhere/x", "outside"));

        assertThat(Rows.count(jdbi, "request_path_list")).isOne();
        assertThat(Rows.count(jdbi, "request_file")).isZero();
        assertThat(files(id)).extracting(PathFile::name, PathFile::state, PathFile::error).containsExactly(
                tuple("/archive/data/a", State.QUEUED, null), tuple("/archive/data/missing", State.QUEUED, null),
                tuple("/elsewhere/x", State.FAILED, "outside"));
        assertThat(reader.status(id).orElseThrow().status()).isEqualTo(RequestStatus.WAITING);

        assertThat(requests.expandOldestLists()).isOne();

        assertThat(Rows.count(jdbi, "request_path_list")).isZero();
        assertThat(Rows.requestFileState(jdbi, id, "a")).isEqualTo(RequestFileState.WAITING.name());
        assertThat(Rows.workState(jdbi, "a")).isNotNull();
        assertThat(files(id)).extracting(PathFile::name, PathFile::state, PathFile::error).containsExactly(
                tuple("/archive/data/a", State.QUEUED, null),
                tuple("/archive/data/missing", State.FAILED, "no such file: /archive/data/missing"),
                tuple("/elsewhere/x", State.FAILED, "outside"));
        assertThat(reader.status(id).orElseThrow().files().total()).isOne();
    }

    @Test
    void aListForgottenBeforeItsExpansionLeavesNoFilesAndNoWork() {
        entry("a");
        UUID id = stage(path("data/a"));

        requests.forget(id);

        assertThat(requests.expandOldestLists()).isZero();
        assertThat(Rows.count(jdbi, "request_path_list")).isZero();
        assertThat(Rows.count(jdbi, "request_file")).isZero();
        assertThat(Rows.count(jdbi, "staged_file")).isZero();
        assertThat(requests.status(id)).isEmpty();
    }

    @Test
    void aCancelOfAListedRequestExpandsItAndCancelsOnlyTheNamedPaths() {
        entry("a");
        entry("b");
        UUID id = stage(path("data/a"), path("data/b"));

        requests.cancel(id, List.of("/archive/data/a"));

        assertThat(Rows.count(jdbi, "request_path_list")).isZero();
        assertThat(Rows.requestFileState(jdbi, id, "a")).isEqualTo(RequestFileState.CANCELLED.name());
        assertThat(Rows.requestFileState(jdbi, id, "b")).isEqualTo(RequestFileState.WAITING.name());
    }

    @Test
    void anExpansionOfAListThatWasExpandedMeanwhileStoresNothingMore() {
        entry("a");
        UUID id = stage(path("data/a"));
        assertThat(requests.expandOldestLists()).isOne();
        PathRows rows = new PathRows("fts", null, List.of("/archive/data/a"), List.of("a"), java.util.Arrays.asList((String) null),
                java.util.Arrays.asList((String) null));

        // What a second instance that read the list before the first expanded it would store.
        intake.expand(List.of(RequestWriter.NewRequest.expansion(id, List.of("a"), rows)),
                Map.of("a", new StagingRequestDao(handle).catalogEntries(List.of("a")).get(0)));

        assertThat(Rows.count(jdbi, "request_file")).isOne();
        assertThat(files(id)).extracting(PathFile::state).containsExactly(State.QUEUED);
    }

    @Test
    void aListedRequestIsUnfinishedForItsClientAndNeverExpiresBeforeItsExpansion() {
        UUID id = stage(path("data/a"));

        assertThat(new PathRequestDao(handle).unfinishedRequestsOf("fts", 10)).isOne();
        assertThat(handle.attach(LifecycleDao.class).expiredRequests(java.time.Instant.now().plusSeconds(3600),
                java.time.Instant.now().plusSeconds(3600), 10)).doesNotContain(id);
    }
}
