package org.stagehand.requests;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.stagehand.catalog.CatalogEntry;
import org.stagehand.db.StorableText;
import org.stagehand.http.ApiException;
import org.stagehand.requests.StagingStatus.ByteCounts;
import org.stagehand.requests.StagingStatus.FileCounts;
import org.stagehand.work.RequestFileState;

/**
 * Answers what a request looks like: its status, its files a page at a time, and the memories that
 * answer polls while the database cannot be reached. A status comes from the live
 * {@link StatusCache} when it has it, else from the database; while the database cannot be
 * reached, the last answer this instance knew ({@link LastKnownAnswers}), marked with {@code as_of}.
 */
public final class RequestStatusReader implements Managed {

    private final Jdbi jdbi;
    private final StatusCache cache;
    private final ReadyEstimates estimates;
    private final LastKnownAnswers<StagingStatus> lastKnown;
    private final int lastKnownFiles;
    private final Clock clock;
    private final MetricRegistry metrics;
    /** Memories of answers of the doors' own shapes, started and stopped with this reader. */
    private final List<LastKnownAnswers<?>> doorAnswers = new CopyOnWriteArrayList<>();

    /**
     * @param cache answers kept in memory, live only while changes are notified
     * @param estimates the estimate of when a waiting request will be ready, worked out at each reading
     * @param lastKnownEntries {@code staging.lastKnownStatusEntries}: the bound of the memory of last-known status answers
     * @param lastKnownFiles {@code staging.lastKnownStatusFiles}: the bound, in files, of each door's memory of
     *     answers that list files
     * @param metrics where the answers served from memory are counted
     */
    public RequestStatusReader(Jdbi jdbi, StatusCache cache, ReadyEstimates estimates, int lastKnownEntries,
                               int lastKnownFiles, Clock clock, MetricRegistry metrics) {
        this.jdbi = jdbi;
        this.cache = cache;
        this.estimates = estimates;
        this.lastKnownFiles = lastKnownFiles;
        this.clock = clock;
        this.metrics = metrics;
        this.lastKnown = LastKnownAnswers.create("status", lastKnownEntries, this::readAndKeep, clock, metrics);
        cache.subscribe(lastKnown);
    }

    @Override
    public void start() {
        lastKnown.start();
        doorAnswers.forEach(LastKnownAnswers::start);
    }

    @Override
    public void stop() throws InterruptedException {
        lastKnown.stop();
        for (LastKnownAnswers<?> answers : doorAnswers) {
            answers.stop();
        }
    }

    /**
     * A memory of last-known answers in a door's own shape, listing a request's files, to answer its
     * polls while the database cannot be reached: told of the same changes as the status answers,
     * bounded by the files its answers list ({@code staging.lastKnownStatusFiles}), started and
     * stopped with this reader. Call it at wiring, before the reader starts.
     *
     * @param name its name in metrics: {@code stagehand.<name>.answered-from-memory} and others
     * @param filesOf how many files an answer lists
     * @param reader reads a request's answer from the database
     */
    public <T> LastKnownAnswers<T> lastKnownAnswers(String name, ToIntFunction<T> filesOf,
                                                    LastKnownAnswers.Reader<T> reader) {
        LastKnownAnswers<T> answers = LastKnownAnswers.listingFiles(name, lastKnownFiles, filesOf, reader, clock, metrics);
        cache.subscribe(answers);
        doorAnswers.add(answers);
        return answers;
    }

    /** The memory of status answers, to be told of changes (for a door that keeps its own). */
    StatusCache statusCache() {
        return cache;
    }

    /**
     * The status of a request with its estimate of when it will be ready ({@link ReadyEstimates}),
     * or empty when there is no such request. While the database cannot be reached, the last answer
     * known here, with {@code as_of} and without an estimate.
     *
     * @throws LastKnownAnswers.DatabaseUnreachable when the database cannot be reached and no answer is known
     */
    public Optional<StagingStatus> status(UUID requestId) {
        Optional<StagingStatus> kept = cache.get(requestId);
        if (kept.isEmpty()) {
            kept = lastKnown.answer(requestId)
                    .map(answer -> answer.fromMemory() ? answer.value().asOf(answer.readAt()) : answer.value());
        }
        // Worked out afresh at each reading and never kept with the answer: it moves as the plan does.
        return kept.map(estimates::addTo);
    }

    /**
     * Remembers the answer of a request just committed: what its transaction wrote, so it runs ahead
     * of nothing.
     *
     * @param stateByFile each file's request state as stored, {@code READY} or {@code WAITING}
     */
    void rememberNew(UUID requestId, List<String> ids, Map<String, CatalogEntry> entries,
                     Map<String, RequestFileState> stateByFile, Instant committedAt) {
        long ready = 0;
        long bytesTotal = 0;
        long bytesReady = 0;
        for (String id : ids) {
            long bytes = entries.get(id).bytes().orElse(0);
            bytesTotal += bytes;
            if (stateByFile.get(id) == RequestFileState.READY) {
                ready++;
                bytesReady += bytes;
            }
        }
        long waiting = ids.size() - ready;
        String at = committedAt.toString();
        lastKnown.remember(requestId, new StagingStatus(requestId, RequestStatus.of(false, waiting, 0),
                new FileCounts(ids.size(), ready, waiting, 0, 0, 0), new ByteCounts(bytesTotal, bytesReady),
                at, at, waiting == 0 && ready > 0 ? at : null, List.of()));
    }

    /** Remembers the answer of a path request just committed as its list of {@code paths} paths. */
    void rememberListed(UUID requestId, int paths, Instant committedAt) {
        lastKnown.remember(requestId, listed(requestId, paths, false, committedAt));
    }

    /** A path request not expanded yet: every path it named still to come. */
    private static StagingStatus listed(UUID requestId, long paths, boolean cancelled, Instant createdAt) {
        return new StagingStatus(requestId, RequestStatus.of(cancelled, paths, 0), new FileCounts(paths, 0, paths, 0, 0, 0),
                new ByteCounts(0, 0), createdAt.toString(), createdAt.toString(), null, List.of());
    }

    /** Reads the answer from the database and keeps it in the live cache, unless a change raced the read. */
    private Optional<StagingStatus> readAndKeep(UUID requestId) {
        return cache.readAndKeep(requestId, this::read);
    }

    private Optional<StagingStatus> read(UUID requestId) {
        return jdbi.withHandle(handle -> {
            StagingRequestDao dao = new StagingRequestDao(handle);
            List<StagingRequestDao.StatusRow> rows = dao.statusRows(requestId);
            if (rows.isEmpty()) {
                return Optional.empty();
            }
            Instant createdAt = rows.get(0).createdAt();
            Instant cancelledAt = rows.get(0).cancelledAt();
            if (rows.get(0).listed()) {
                return Optional.of(listed(requestId, rows.get(0).fileCount(), cancelledAt != null, createdAt));
            }
            Map<RequestFileState, RequestFileSummary> byState = rows.stream().filter(row -> row.summary() != null)
                    .collect(Collectors.toMap(row -> row.summary().state(), StagingRequestDao.StatusRow::summary,
                            (one, other) -> one, () -> new EnumMap<>(RequestFileState.class)));
            long waitingForSpace = rows.stream().mapToLong(StagingRequestDao.StatusRow::waitingForSpace).sum();
            long copying = rows.stream().mapToLong(StagingRequestDao.StatusRow::copying).sum();
            long waiting = files(byState, RequestFileState.WAITING);
            long ready = files(byState, RequestFileState.READY);
            long failed = files(byState, RequestFileState.FAILED);
            long cancelled = files(byState, RequestFileState.CANCELLED);
            RequestStatus status = RequestStatus.of(cancelledAt != null, waiting, failed);
            Instant lastSettled = byState.values().stream().map(RequestFileSummary::lastCompletedAt)
                    .filter(at -> at != null).max(Instant::compareTo).orElse(null);
            long bytesTotal = byState.values().stream().mapToLong(RequestFileSummary::bytes).sum();
            long bytesReady = Optional.ofNullable(byState.get(RequestFileState.READY)).map(RequestFileSummary::bytes).orElse(0L);
            return Optional.of(new StagingStatus(requestId, status,
                    new FileCounts(waiting + ready + failed + cancelled, ready, waiting, failed, cancelled, waitingForSpace,
                            copying),
                    new ByteCounts(bytesTotal, bytesReady),
                    createdAt.toString(),
                    (lastSettled == null ? createdAt : lastSettled).toString(),
                    waiting == 0 && lastSettled != null ? lastSettled.toString() : null,
                    failed == 0 ? List.of()
                            : dao.failedFiles(requestId, StagingStatus.MAX_ERRORS)));
        });
    }

    /**
     * A page of a request's files in ID order, after the file ID {@code after}; empty when there is
     * no such request.
     *
     * @throws ApiException 400 when {@code after} cannot be stored as text
     */
    public Optional<RequestFilePage> files(UUID requestId, String after, int limit) {
        String problem = after == null ? null : StorableText.problemWith(after);
        if (problem != null) {
            throw ApiException.badRequest("'after' " + problem);
        }
        return jdbi.withHandle(handle -> {
            StagingRequestDao dao = new StagingRequestDao(handle);
            return dao.findRequest(requestId).map(request -> {
                List<RequestFile> files = dao.files(requestId, after == null ? "" : after, limit);
                String next = files.size() == limit ? files.get(files.size() - 1).id() : null;
                return new RequestFilePage(requestId, files, next, request.requesterOrcid());
            });
        });
    }

    /** The request a JDP integer ID names, from the database. */
    Optional<UUID> requestOfJdpId(long jdpRequestId) {
        return jdbi.withHandle(handle -> new StagingRequestDao(handle).requestOfJdpId(jdpRequestId));
    }

    /** The JDP integer IDs of those of these requests that have one, from the database. */
    Map<Long, UUID> jdpIdsOf(Collection<UUID> requestIds) {
        return jdbi.withHandle(handle -> new StagingRequestDao(handle).jdpIdsOf(requestIds));
    }

    private static long files(Map<RequestFileState, RequestFileSummary> byState, RequestFileState state) {
        RequestFileSummary summary = byState.get(state);
        return summary == null ? 0 : summary.files();
    }
}
