package org.stagehand.requests;

import static org.stagehand.db.SqlArrays.varchars;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.stagehand.area.StagingArea;
import org.stagehand.catalog.CatalogEntry;
import org.stagehand.http.ApiException;
import org.stagehand.work.RequestFileDao;
import org.stagehand.work.RequestFileState;
import org.stagehand.work.RequestedWork;

/**
 * What an operator or a client does to a stored request: cancel it, try its failed files again,
 * release its copies early. Each changes the request in one transaction and drops its answer from
 * this instance's memory at once (other instances drop it when notified).
 */
public final class RequestOperations {

    private static final Logger LOG = LoggerFactory.getLogger(RequestOperations.class);

    private final Jdbi jdbi;
    private final StatusCache statusCache;
    private final WorkAttachment work;
    private final Runnable workSignal;
    private final Runnable cancellationSignal;
    private final Clock clock;

    /**
     * @param postgres whether the database is PostgreSQL (else H2)
     * @param statusCache answers kept in memory, dropped here for the request changed
     * @param workSignal told when files were queued again
     * @param cancellationSignal told when a request was cancelled, to stop work no one wants
     */
    public RequestOperations(Jdbi jdbi, boolean postgres, StatusCache statusCache, StagingArea area,
                             Runnable workSignal, Runnable cancellationSignal, Clock clock) {
        this.jdbi = jdbi;
        this.statusCache = statusCache;
        this.work = new WorkAttachment(area, postgres);
        this.workSignal = workSignal;
        this.cancellationSignal = cancellationSignal;
        this.clock = clock;
    }

    /**
     * Cancels a request: its files not yet in place stop waiting, and work that no other request
     * wants is set aside (a batch under way is told by the dispatcher).
     *
     * @return what was done, for the operator
     * @throws ApiException 404 when there is no such request
     */
    public String cancel(UUID requestId) {
        try (MDC.MDCCloseable logContext = MDC.putCloseable("request_id", requestId.toString())) {
            return cancelLogged(requestId);
        }
    }

    private String cancelLogged(UUID requestId) {
        String summary = jdbi.inTransaction(handle -> {
            StagingRequestDao dao = dao(handle);
            StagingRequestRecord request = dao.lockRequest(requestId)
                    .orElseThrow(() -> ApiException.notFound("no staging request " + requestId));
            if (request.cancelledAt() != null) {
                return "request " + requestId + " was already cancelled at " + request.cancelledAt();
            }
            Instant now = clock.instant();
            int cancelled = new RequestFileDao(handle).cancelWaiting(requestId, now);
            if (cancelled == 0) {
                return "request " + requestId + " has no files left to stage; nothing to cancel";
            }
            dao.setCancelledAt(requestId, now);
            int setAside = 0;
            RequestedWork queue = new RequestedWork(handle);
            for (List<String> chunk : WorkAttachment.chunks(queue.lockPendingOfRequest(requestId))) {
                setAside += queue.idleUnwanted(varchars(chunk), now);
            }
            return "request " + requestId + " cancelled: " + cancelled + " files stopped waiting, "
                    + setAside + " queued files no other request wants were set aside";
        });
        statusCache.invalidate(List.of(requestId)); // at once here; other instances when notified
        LOG.info("{}", summary);
        cancellationSignal.run();
        return summary;
    }

    /**
     * Tries a request's failed and cancelled files again (and un-cancels it).
     *
     * @return what was done, for the operator
     * @throws ApiException 404 when there is no such request
     */
    public String retry(UUID requestId) {
        try (MDC.MDCCloseable logContext = MDC.putCloseable("request_id", requestId.toString())) {
            return retryLogged(requestId);
        }
    }

    private String retryLogged(UUID requestId) {
        String summary = jdbi.inTransaction(handle -> {
            StagingRequestDao dao = dao(handle);
            dao.lockRequest(requestId).orElseThrow(() -> ApiException.notFound("no staging request " + requestId));
            RequestFileDao files = new RequestFileDao(handle);
            List<String> again = files.fileIdsInStates(requestId,
                    List.of(RequestFileState.FAILED, RequestFileState.CANCELLED));
            dao.setCancelledAt(requestId, null);
            if (again.isEmpty()) {
                return "request " + requestId + " has no failed or cancelled files; nothing to retry";
            }
            Map<String, CatalogEntry> entries = new HashMap<>();
            Instant now = clock.instant();
            int readyAtOnce = 0;
            RequestedWork queue = new RequestedWork(handle);
            for (List<String> chunk : WorkAttachment.chunks(again)) {
                dao.catalogEntries(chunk).forEach(entry -> entries.put(entry.fileId(), entry));
                Map<String, RequestFileState> stateByFile = work.attach(queue, chunk, entries, now);
                List<RequestFileState> states = chunk.stream().map(stateByFile::get).toList();
                files.reset(requestId, chunk, states, now);
                readyAtOnce += (int) states.stream().filter(RequestFileState.READY::equals).count();
            }
            return "request " + requestId + ": " + again.size() + " files queued again ("
                    + readyAtOnce + " were already in place)";
        });
        statusCache.invalidate(List.of(requestId)); // at once here; other instances when notified
        LOG.info("{}", summary);
        workSignal.run();
        return summary;
    }

    /**
     * Releases a request's copies early: they stay pinned only by other requests. Idempotent.
     *
     * @throws ApiException 404 when there is no such request
     */
    public void release(UUID requestId) {
        jdbi.useHandle(handle -> {
            StagingRequestDao dao = dao(handle);
            if (dao.findRequest(requestId).isEmpty()) {
                throw ApiException.notFound("no staging request " + requestId);
            }
            if (dao.release(requestId, clock.instant()) > 0) {
                LOG.info("request {} released its copies", requestId);
            }
        });
    }

    private static StagingRequestDao dao(Handle handle) {
        return new StagingRequestDao(handle);
    }
}
