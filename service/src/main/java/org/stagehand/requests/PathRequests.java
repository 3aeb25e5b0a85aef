package org.stagehand.requests;

import static org.stagehand.db.SqlArrays.varchars;

import io.dropwizard.lifecycle.Managed;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.area.RelativePath;
import org.stagehand.area.StagingArea;
import org.stagehand.backend.DescribesPaths;
import org.stagehand.catalog.CatalogEntry;
import org.stagehand.http.ApiException;
import org.stagehand.requests.PathRequestDao.EntryState;
import org.stagehand.requests.PathRequestDao.PathRow;
import org.stagehand.requests.RequestWriter.NewRequest;
import org.stagehand.work.FileState;
import org.stagehand.work.RequestFileDao;
import org.stagehand.work.RequestedWork;

/**
 * Requests that name files by path instead of catalog ID (the WLCG Tape REST door): stored as
 * ordinary requests with the same work, pins and lifecycle as the DTS's, plus each path as it was
 * named. The rules a path door needs live here: paths that name no file fail alone, limits per
 * request and per client, cancel and release of some of a request's paths.
 */
public final class PathRequests implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(PathRequests.class);
    /** The error of a file whose request was cancelled by its client, for this path. */
    public static final String CANCELLED_BY_CLIENT = "cancelled by the client";

    private final Jdbi jdbi;
    private final RequestIntake intake;
    private final StagingArea area;
    private final StatusCache statusCache;
    private final Runnable cancellationSignal;
    private final Clock clock;
    private final PathStatusReader statusReader;
    private final LastKnownAnswers<PathStatus> answers;
    /**
     * Answers kept while changes are notified, so that a poll costs no query: every input of an answer
     * is covered by a notification (see {@link PathRequestDao#pathRows}).
     */
    private final LiveAnswers<PathStatus> liveAnswers;
    private final Optional<UncatalogedPaths> archive;
    private final PathListExpander expander;
    private final UnfinishedCounts unfinishedCounts;

    /**
     * @param cancellationSignal told when files were cancelled, to stop work no one wants
     * @param archive when present, a path not in the catalog is looked up in the archive and, if a
     *     file is there, cataloged and staged ({@code tapeRest.resolveUnknownPaths})
     */
    public PathRequests(Jdbi jdbi, RequestIntake intake, RequestStatusReader reader, StagingArea area, StatusCache statusCache,
                        Runnable cancellationSignal, Clock clock, Optional<DescribesPaths> archive) {
        this.archive = archive.map(UncatalogedPaths::new);
        this.jdbi = jdbi;
        this.intake = intake;
        this.area = area;
        this.statusCache = statusCache;
        this.cancellationSignal = cancellationSignal;
        this.clock = clock;
        // Polls must be answered while the database is down: FTS fails a whole batch on one failed poll.
        this.statusReader = new PathStatusReader(jdbi);
        this.liveAnswers = statusCache.answersListingFiles("tape-status-cache", status -> status.files().size());
        this.answers = reader.lastKnownAnswers("tape-status", status -> status.files().size(),
                id -> liveAnswers.readAndKeep(id, statusReader::read));
        this.expander = new PathListExpander(jdbi, intake, this.archive, clock);
        this.unfinishedCounts = new UnfinishedCounts((client, most) ->
                jdbi.withHandle(handle -> new PathRequestDao(handle).unfinishedRequestsOf(client, most)));
    }

    /** Starts expanding the stored path lists. */
    @Override
    public void start() {
        expander.start();
    }

    @Override
    public void stop() throws InterruptedException {
        expander.stop();
    }

    /** One round of the expansion thread's: the oldest lists, about 5,000 paths; how many lists it took. */
    int expandOldestLists() {
        return expander.expandOldest();
    }

    /**
     * Stores a request as its list of paths, expanded into its files soon after
     * ({@link PathListExpander}); each path that names no catalog file then fails, with the reason.
     *
     * @param maxFiles the most distinct paths in one request
     * @param maxUnfinished the most unfinished requests one client may have
     * @throws ApiException 413 over {@code maxFiles}, 429 over {@code maxUnfinished}
     */
    public UUID submit(PathRequest request, int maxFiles, int maxUnfinished) {
        if (request.paths().size() > maxFiles) {
            throw ApiException.tooLarge("the request names " + request.paths().size() + " distinct paths; at most "
                    + maxFiles + " are accepted in one request");
        }
        long unfinished = unfinishedCounts.of(request.client(), maxUnfinished);
        if (unfinished >= maxUnfinished) {
            throw new ApiException(429, "client " + request.client() + " has " + unfinished
                    + " unfinished requests, the most allowed; try again when some have finished");
        }
        UUID requestId = UUID.randomUUID();
        Long pinSeconds = request.pin().map(java.time.Duration::toSeconds).orElse(null);
        intake.write(NewRequest.listed(requestId, new PathList(request.client(), pinSeconds, request.paths())));
        unfinishedCounts.added(request.client());
        answers.remember(requestId, statusReader.listed(requestId, clock.instant(), request.paths()));
        expander.signal();
        return requestId;
    }

    /**
     * Where each path of a request stands, in the order asked; empty for an unknown request. While
     * the database cannot be reached, the last state known here (it may lag, never run ahead).
     *
     * @throws LastKnownAnswers.DatabaseUnreachable when the database cannot be reached and this
     *     instance knows nothing of the request
     */
    public Optional<PathStatus> status(UUID requestId) {
        Optional<PathStatus> kept = liveAnswers.get(requestId);
        return kept.isPresent() ? kept : answers.answer(requestId).map(LastKnownAnswers.Answer::value);
    }

    /**
     * Cancels some paths of a request: those still to come stop waiting, and work no other request
     * wants is set aside. A path not in the request changes nothing.
     *
     * @throws ApiException 404 for an unknown request, 400 naming a path that is not in it
     */
    public void cancel(UUID requestId, List<String> names) {
        expander.expandNow(requestId);
        jdbi.useTransaction(handle -> {
            new StagingRequestDao(handle).lockRequest(requestId)
                    .orElseThrow(() -> ApiException.notFound("no stage request " + requestId));
            Set<String> fileIds = fileIdsOf(new PathRequestDao(handle).pathRows(requestId), names);
            if (fileIds.isEmpty()) {
                return;
            }
            Instant now = clock.instant();
            if (new RequestFileDao(handle).cancelWaiting(requestId, fileIds, CANCELLED_BY_CLIENT, now) > 0) {
                RequestedWork work = new RequestedWork(handle);
                work.idleUnwanted(varchars(work.lockPending(varchars(List.copyOf(fileIds)))), now);
            }
        });
        statusCache.invalidate(List.of(requestId));
        LOG.info("request {}: {} paths cancelled by the client", requestId, names.size());
        cancellationSignal.run();
    }

    /**
     * Releases some paths of a request: their copies stay pinned only by others.
     *
     * @throws ApiException 404 for an unknown request, 400 naming a path that is not in it
     */
    public void release(UUID requestId, List<String> names) {
        expander.expandNow(requestId);
        jdbi.useTransaction(handle -> {
            List<PathRow> rows = new PathRequestDao(handle).pathRows(requestId);
            if (rows.isEmpty()) {
                throw ApiException.notFound("no stage request " + requestId);
            }
            Set<String> fileIds = fileIdsOf(rows, names);
            if (!fileIds.isEmpty()) {
                new RequestFileDao(handle).release(requestId, fileIds, clock.instant());
            }
        });
    }

    /**
     * Releases these paths of a request or, when the ID names no request (gfal2 sends a placeholder
     * when it has none), the client's own requests for those paths.
     *
     * @param requestId the request named, empty when the ID is no request UUID
     * @throws ApiException 400 naming the first name that is not in the request
     */
    public void releaseOrForClient(Optional<UUID> requestId, String client, List<String> names) {
        if (requestId.isPresent() && status(requestId.get()).isPresent()) {
            release(requestId.get(), names);
        } else {
            releaseForClient(client, names);
        }
    }

    /** Releases, in every request of this client, the files it named by these paths. */
    private int releaseForClient(String client, List<String> names) {
        return jdbi.withHandle(handle -> new RequestFileDao(handle).releaseForClient(client, names, clock.instant()));
    }

    /**
     * Cancels what is still to come of a request and forgets it.
     *
     * @throws ApiException 404 for an unknown request
     */
    public void forget(UUID requestId) {
        jdbi.useTransaction(handle -> {
            StagingRequestDao requests = new StagingRequestDao(handle);
            requests.lockRequest(requestId).orElseThrow(() -> ApiException.notFound("no stage request " + requestId));
            Instant now = clock.instant();
            RequestedWork work = new RequestedWork(handle);
            List<String> pending = work.lockPendingOfRequest(requestId);
            new RequestFileDao(handle).cancelWaiting(requestId, now);
            if (!pending.isEmpty()) {
                work.idleUnwanted(varchars(pending), now);
            }
            requests.deleteRequest(requestId);
        });
        statusCache.invalidate(List.of(requestId));
        LOG.info("request {} cancelled and forgotten by its client", requestId);
        cancellationSignal.run();
    }

    /**
     * The file IDs these names stand for in a request.
     *
     * @throws ApiException 400 naming the first name that is not in the request
     */
    private static Set<String> fileIdsOf(List<PathRow> rows, Collection<String> names) {
        Map<String, PathRow> byName = new LinkedHashMap<>();
        rows.forEach(row -> byName.putIfAbsent(row.path(), row));
        Set<String> fileIds = new TreeSet<>();
        for (String name : names) {
            PathRow row = byName.get(name);
            if (row == null) {
                throw new ApiException(400, "'" + name + "' is not a path of this request");
            }
            if (row.fileId() != null) {
                fileIds.add(row.fileId());
            }
        }
        return fileIds;
    }

    /** Where each of these staging paths is, by staging path. */
    public Map<RelativePath, Locality> localities(Collection<RelativePath> paths) {
        Map<RelativePath, Locality> answer = new HashMap<>();
        paths.forEach(path -> answer.put(path, Locality.UNKNOWN));
        if (paths.isEmpty()) {
            return answer;
        }
        List<EntryState> states = jdbi.withHandle(handle -> new PathRequestDao(handle)
                .entriesByStagingPath(paths.stream().map(RelativePath::value).distinct().toList()));
        for (EntryState state : states) {
            RelativePath path = state.entry().stagingPath();
            answer.put(path, state.workState() == FileState.READY && area.exists(path)
                    ? Locality.ARCHIVE_AND_STAGED : Locality.ARCHIVE);
        }
        archive.ifPresent(lookup -> {
            Map<String, Locality> found = lookup.localities(answer.entrySet().stream()
                    .filter(entry -> entry.getValue() == Locality.UNKNOWN).map(entry -> entry.getKey().value()).toList());
            answer.replaceAll((path, locality) ->
                    locality == Locality.UNKNOWN ? found.getOrDefault(path.value(), Locality.UNKNOWN) : locality);
        });
        return answer;
    }

    /**
     * The verified copy of the catalog file at this staging path, if one is in place: a file that
     * was staged and checked, not whatever else stands at that place.
     */
    public Optional<StagedCopy> verifiedCopy(RelativePath path) {
        List<EntryState> states = jdbi.withHandle(handle -> new PathRequestDao(handle).entriesByStagingPath(List.of(path.value())));
        return states.stream().filter(state -> state.workState() == FileState.READY && area.exists(path))
                .findFirst().map(state -> new StagedCopy(state.entry(), area.target(path)));
    }

    /** A staged, verified copy: its catalog entry and where it lies (below the staging root). */
    public record StagedCopy(CatalogEntry entry, Path file) {
    }
}
