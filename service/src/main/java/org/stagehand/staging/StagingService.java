package org.stagehand.staging;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.lifecycle.Managed;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.stagehand.area.StagingArea;
import org.stagehand.catalog.CatalogEntry;
import org.stagehand.db.StorableText;
import org.stagehand.http.ApiException;
import org.stagehand.staging.RequestWriter.NewRequest;

/**
 * Accepts staging requests and reports on them. A request is stored with all its files, in one
 * transaction (shared with other small requests that arrive at the same moment), before it is
 * acknowledged; the work dispatcher does the rest.
 */
public final class StagingService implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(StagingService.class);
    /**
     * Files per statement. IDs go to the database as one array parameter, so this bounds the size
     * of a statement and of a lock batch, not a parameter count.
     */
    private static final int CHUNK = 5000;
    private static final int MAX_UNKNOWN_LISTED = 100;
    /**
     * Threads that store small requests, several to a transaction. Two: one can commit while the
     * other runs its statements.
     */
    private static final int REQUEST_WRITERS = 2;

    private final Jdbi jdbi;
    private final StagingArea area;
    private final StagingConfiguration config;
    private final Runnable workSignal;
    private final Runnable cancellationSignal;
    private final Clock clock;
    private final boolean postgres;
    private final StatusCache statusCache;
    private final StatusAnswers statusAnswers;
    private final MetricRegistry metrics;
    /** Memories of answers of the doors' own shapes, started and stopped with this service. */
    private final List<LastKnownAnswers<?>> doorAnswers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final RequestWriter writer;

    /**
     * @param postgres whether the database is PostgreSQL (else H2)
     * @param statusCache answers kept in memory, live only while changes are notified
     * @param workSignal told when new work has been stored
     * @param cancellationSignal told when a request was cancelled, to stop work no one wants
     * @param metrics where the answers served from memory are counted
     */
    public StagingService(Jdbi jdbi, boolean postgres, StatusCache statusCache, StagingArea area,
                          StagingConfiguration config, Runnable workSignal, Runnable cancellationSignal, Clock clock,
                          MetricRegistry metrics) {
        this.jdbi = jdbi;
        this.postgres = postgres;
        this.statusCache = statusCache;
        this.statusAnswers = new StatusAnswers(jdbi, postgres, statusCache, config.getLastKnownStatusEntries(), clock,
                metrics);
        this.metrics = metrics;
        this.writer = new RequestWriter(this::lookUpAndStore, REQUEST_WRITERS);
        this.area = area;
        this.config = config;
        this.workSignal = workSignal;
        this.cancellationSignal = cancellationSignal;
        this.clock = clock;
    }

    /**
     * Validates a request body, checks every ID against the catalog and stores the request.
     *
     * @throws ApiException 400 for a malformed body, 413 over the limit, 404 for unknown IDs
     */
    public StagingAccepted submit(JsonNode body) {
        return submit(body, null);
    }

    /**
     * Like {@link #submit(JsonNode)}, recording who asked and by which door.
     *
     * @param origin recorded with the request, or null
     */
    StagingAccepted submit(JsonNode body, RequestOrigin origin) {
        List<String> ids = withinLimit(parseIds(body));
        UUID requestId = UUID.randomUUID();
        writer.write(new NewRequest(requestId, ids, null, origin));
        return new StagingAccepted(requestId);
    }

    private List<String> withinLimit(List<String> ids) {
        if (ids.size() > config.getMaxFilesPerRequest()) {
            throw ApiException.tooLarge("the request names " + ids.size() + " distinct IDs; at most "
                    + config.getMaxFilesPerRequest() + " are accepted in one request");
        }
        return ids;
    }

    /**
     * The catalog entries of the IDs of a body {@code {"ids": [...]}} (validated as for a request),
     * in the order asked, each once; IDs the catalog does not know are left out.
     *
     * @throws ApiException 400 for a malformed body, 413 over {@code maxFilesPerRequest}
     */
    public List<CatalogEntry> describe(JsonNode body) {
        List<String> ids = withinLimit(parseIds(body));
        Map<String, CatalogEntry> entries = jdbi.withHandle(handle -> lookUp(dao(handle), ids));
        return ids.stream().map(entries::get).filter(entry -> entry != null).toList();
    }

    /** Stores a request whose file IDs are known; returns once it is committed. */
    void write(NewRequest request) {
        writer.write(request);
    }

    /** Starts the threads that store requests arriving together in one transaction. */
    @Override
    public void start() {
        writer.start();
        statusAnswers.lastKnown().start();
        doorAnswers.forEach(LastKnownAnswers::start);
    }

    @Override
    public void stop() throws InterruptedException {
        writer.stop();
        statusAnswers.lastKnown().stop();
        for (LastKnownAnswers<?> answers : doorAnswers) {
            answers.stop();
        }
    }

    /**
     * A memory of last-known answers in a door's own shape (e.g. a per-file view), to answer its
     * polls while the database cannot be reached: told of the same changes as the status answers,
     * bounded by {@code staging.lastKnownStatusEntries}, started and stopped with this service.
     * Call it at wiring, before the service starts.
     *
     * @param name its name in metrics: {@code stagehand.<name>.answered-from-memory} and others
     * @param reader reads a request's answer from the database
     */
    public <T> LastKnownAnswers<T> lastKnownAnswers(String name, LastKnownAnswers.Reader<T> reader) {
        LastKnownAnswers<T> answers = LastKnownAnswers.create(name, config.getLastKnownStatusEntries(), reader, clock,
                metrics);
        statusCache.subscribe(answers);
        doorAnswers.add(answers);
        return answers;
    }

    /**
     * Looks the requests' IDs up in the catalog and stores, in one transaction, every request whose
     * IDs are all known; one connection for both.
     *
     * @return the requests refused, with their 404s
     */
    private Map<UUID, ApiException> lookUpAndStore(List<NewRequest> requests) {
        Map<UUID, ApiException> refused = new HashMap<>();
        List<NewRequest> known = new ArrayList<>(requests.size());
        jdbi.useHandle(handle -> {
            Map<String, CatalogEntry> entries = lookUp(dao(handle), fileIdsOf(requests));
            for (NewRequest request : requests) {
                List<String> unknown = request.ids().stream().filter(id -> !entries.containsKey(id)).toList();
                if (unknown.isEmpty()) {
                    known.add(request);
                } else {
                    refused.put(request.requestId(), ApiException.notFound(unknown.size() + " of the " + request.ids().size()
                            + " IDs are not in the catalog", unknown.subList(0, Math.min(MAX_UNKNOWN_LISTED, unknown.size()))));
                }
            }
            if (!known.isEmpty()) {
                storeRetryingConflicts(handle, known, entries);
            }
        });
        for (NewRequest request : known) {
            try (MDC.MDCCloseable logContext = MDC.putCloseable("request_id", request.requestId().toString())) {
                if (request.origin() != null && request.origin().requesterOrcid() != null) {
                    LOG.info("request accepted with {} files for ORCID {}{}", request.ids().size(),
                            request.origin().requesterOrcid(), request.origin().jdpRequestId() == null ? ""
                                    : " as JDP request " + request.origin().jdpRequestId());
                } else {
                    LOG.info("request accepted with {} files", request.ids().size());
                }
            }
        }
        if (!known.isEmpty()) {
            workSignal.run();
        }
        return refused;
    }

    /** The requests' file IDs, each once (a request's own are distinct already). */
    private static List<String> fileIdsOf(List<NewRequest> requests) {
        return requests.size() == 1 ? requests.get(0).ids()
                : requests.stream().flatMap(request -> request.ids().stream()).distinct().toList();
    }

    /** The request a JDP integer ID names, from the database. */
    Optional<UUID> requestOfJdpId(long jdpRequestId) {
        return jdbi.withHandle(handle -> dao(handle).requestOfJdpId(jdpRequestId));
    }

    /** The JDP integer IDs of those of these requests that have one, from the database. */
    Map<Long, UUID> jdpIdsOf(Collection<UUID> requestIds) {
        return jdbi.withHandle(handle -> dao(handle).jdpIdsOf(requestIds));
    }

    /** The memory of status answers, to be told of changes (for a door that keeps its own). */
    StatusCache statusCache() {
        return statusCache;
    }

    private StagingRequestDao dao(Handle handle) {
        return new StagingRequestDao(handle, postgres);
    }

    /** The IDs of a body {@code {"ids": [...]}}, prefix stripped, duplicates dropped, in order. */
    List<String> parseIds(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object such as {\"ids\": [\"id1\", \"id2\"]}");
        }
        JsonNode idsNode = body.get("ids");
        if (idsNode == null || idsNode.isNull()) {
            throw ApiException.badRequest("'ids' is required: a non-empty array of file IDs");
        }
        if (!idsNode.isArray()) {
            throw ApiException.badRequest("'ids' must be an array of strings");
        }
        if (idsNode.isEmpty()) {
            throw ApiException.badRequest("'ids' must not be empty");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < idsNode.size(); i++) {
            JsonNode element = idsNode.get(i);
            if (!element.isTextual()) {
                throw ApiException.badRequest("ids[" + i + "] must be a string, not " + element.getNodeType().name().toLowerCase());
            }
            String id = element.asText();
            if (config.getIdPrefix().isPresent() && id.startsWith(config.getIdPrefix().get())) {
                id = id.substring(config.getIdPrefix().get().length());
            }
            if (id.isBlank()) {
                throw ApiException.badRequest("ids[" + i + "] is blank");
            }
            if (id.length() > config.getMaxIdLength()) {
                throw ApiException.badRequest("ids[" + i + "] is longer than " + config.getMaxIdLength() + " characters");
            }
            String problem = StorableText.problemWith(id);
            if (problem != null) {
                throw ApiException.badRequest("ids[" + i + "] " + problem);
            }
            ids.add(id);
        }
        return List.copyOf(ids);
    }

    private static Map<String, CatalogEntry> lookUp(StagingRequestDao dao, Collection<String> ids) {
        Map<String, CatalogEntry> entries = new HashMap<>(ids.size() * 4 / 3 + 1);
        for (List<String> chunk : chunks(ids)) {
            dao.catalogEntries(chunk).forEach(entry -> entries.put(entry.fileId(), entry));
        }
        return entries;
    }

    /**
     * Stores the requests; PostgreSQL may abort one of two transactions that lock shared files at
     * the same moment (deadlock or serialization failure), and then it is simply run again.
     */
    private void storeRetryingConflicts(Handle handle, List<NewRequest> requests, Map<String, CatalogEntry> entries) {
        for (int attempt = 1; ; attempt++) {
            try {
                Map<String, String> stateByFile = handle.inTransaction(transaction -> store(dao(transaction), requests, entries));
                Instant committed = clock.instant();
                for (NewRequest request : requests) {
                    statusAnswers.rememberNew(request.requestId(), request.ids(), entries, stateByFile, committed);
                }
                return;
            } catch (JdbiException e) {
                if (attempt >= 3 || !isConflict(e)) {
                    throw e;
                }
                LOG.info("{} requests met a concurrent transaction on shared files; storing them again", requests.size());
            }
        }
    }

    private static boolean isConflict(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && ("40001".equals(sql.getSQLState()) || "40P01".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /** @return each file's state for the requests, {@code READY} or {@code WAITING} */
    private Map<String, String> store(StagingRequestDao dao, List<NewRequest> requests, Map<String, CatalogEntry> entries) {
        Instant now = clock.instant();
        dao.insertRequests(requests, now);
        // Sorted, so concurrent transactions lock shared rows in the same order and cannot deadlock.
        List<String> sorted = fileIdsOf(requests).stream().sorted().toList();
        Map<String, String> stateByFile = new HashMap<>(sorted.size() * 4 / 3 + 1);
        for (List<String> chunk : chunks(sorted)) {
            stateByFile.putAll(attachWork(dao, chunk, entries, now));
        }
        RequestFileRows rows = new RequestFileRows(dao, now);
        for (NewRequest request : requests) {
            for (String id : request.ids()) {
                rows.add(request.requestId(), id, stateByFile.get(id));
            }
        }
        rows.flush();
        return stateByFile;
    }

    /** The requests' file rows, inserted {@link #CHUNK} to a statement. */
    private static final class RequestFileRows {
        private final StagingRequestDao dao;
        private final Instant now;
        private final List<String> requestIds = new ArrayList<>();
        private final List<String> fileIds = new ArrayList<>();
        private final List<String> states = new ArrayList<>();

        RequestFileRows(StagingRequestDao dao, Instant now) {
            this.dao = dao;
            this.now = now;
        }

        void add(UUID requestId, String fileId, String state) {
            requestIds.add(requestId.toString());
            fileIds.add(fileId);
            states.add(state);
            if (fileIds.size() == CHUNK) {
                flush();
            }
        }

        void flush() {
            if (!fileIds.isEmpty()) {
                dao.insertRequestFiles(requestIds, fileIds, states, now);
                requestIds.clear();
                fileIds.clear();
                states.clear();
            }
        }
    }

    /**
     * Makes sure each file has a work row that will bring it into place, and locks it: files never
     * asked for are queued; files that failed, that nobody wanted any more, or whose copy has gone
     * are queued again. The lock orders this transaction against a worker settling the file, so
     * the request cannot miss the file's outcome.
     *
     * @return per file, the requests' state for it: READY when a copy is in place, else WAITING
     */
    private Map<String, String> attachWork(StagingRequestDao dao, List<String> sortedChunk, Map<String, CatalogEntry> entries,
                                    Instant now) {
        Map<String, String> states = new HashMap<>(sortedChunk.size() * 4 / 3 + 1);
        lockOrInsert(dao, sortedChunk, now, states);
        // A row evicted between the insert and the lock is gone: insert it again and lock it.
        List<String> gone = sortedChunk.stream().filter(id -> !states.containsKey(id)).toList();
        if (!gone.isEmpty()) {
            lockOrInsert(dao, gone, now, states);
        }
        List<String> again = new ArrayList<>();
        Map<String, String> requestStates = new HashMap<>(sortedChunk.size() * 4 / 3 + 1);
        for (String id : sortedChunk) {
            String state = states.get(id);
            boolean ready = "READY".equals(state) && area.exists(entries.get(id).stagingPath());
            if (!ready && !"PENDING".equals(state) && !"ACTIVE".equals(state)) {
                again.add(id);
            }
            requestStates.put(id, ready ? "READY" : "WAITING");
        }
        if (!again.isEmpty()) {
            dao.requeue(again, now);
        }
        return requestStates;
    }

    /**
     * Inserts the missing work rows of these files and locks (and touches) the others, putting each
     * file's state in {@code states}. Rows this transaction inserted need no lock (no one else sees
     * them before the commit); where the database cannot say which rows it inserted (H2), all are
     * locked. A file whose row is neither inserted nor there to lock is left out.
     */
    private static void lockOrInsert(StagingRequestDao dao, List<String> sortedIds, Instant now, Map<String, String> states) {
        Optional<Set<String>> inserted = dao.insertMissingWork(sortedIds, now);
        List<String> existing = sortedIds;
        if (inserted.isPresent()) {
            inserted.get().forEach(id -> states.put(id, "PENDING"));
            existing = sortedIds.stream().filter(id -> !inserted.get().contains(id)).toList();
        }
        states.putAll(dao.lockAndTouch(existing, now));
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
            int cancelled = dao.cancelWaitingFiles(requestId, now);
            if (cancelled == 0) {
                return "request " + requestId + " has no files left to stage; nothing to cancel";
            }
            dao.setCancelledAt(requestId, now);
            int setAside = 0;
            for (List<String> chunk : chunks(dao.lockPendingWorkOf(requestId))) {
                setAside += dao.idleUnwanted(chunk, now);
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
            List<String> again = dao.fileIdsInStates(requestId, List.of("FAILED", "CANCELLED"));
            dao.setCancelledAt(requestId, null);
            if (again.isEmpty()) {
                return "request " + requestId + " has no failed or cancelled files; nothing to retry";
            }
            Map<String, CatalogEntry> entries = new HashMap<>();
            Instant now = clock.instant();
            int readyAtOnce = 0;
            for (List<String> chunk : chunks(again)) {
                dao.catalogEntries(chunk).forEach(entry -> entries.put(entry.fileId(), entry));
                Map<String, String> stateByFile = attachWork(dao, chunk, entries, now);
                List<String> states = chunk.stream().map(stateByFile::get).toList();
                dao.resetRequestFiles(requestId, chunk, states, now);
                readyAtOnce += (int) states.stream().filter("READY"::equals).count();
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

    /** A page of a request's files in ID order, after the file ID {@code after}. */
    public Optional<RequestFilePage> files(UUID requestId, String after, int limit) {
        String problem = after == null ? null : StorableText.problemWith(after);
        if (problem != null) {
            throw ApiException.badRequest("'after' " + problem);
        }
        return jdbi.withHandle(handle -> {
            StagingRequestDao dao = dao(handle);
            return dao.findRequest(requestId).map(request -> {
                List<RequestFile> files = dao.files(requestId, after == null ? "" : after, limit);
                String next = files.size() == limit ? files.get(files.size() - 1).id() : null;
                return new RequestFilePage(requestId, files, next, request.requesterOrcid());
            });
        });
    }

    /**
     * The status of a request, or empty when there is no such request. While the database cannot be
     * reached, the last answer known here, with {@code as_of}.
     *
     * @throws LastKnownAnswers.DatabaseUnreachable when the database cannot be reached and no answer is known
     */
    public Optional<StagingStatus> status(UUID requestId) {
        return statusAnswers.status(requestId);
    }

    private static List<List<String>> chunks(Collection<String> ids) {
        List<String> list = List.copyOf(ids);
        List<List<String>> chunks = new ArrayList<>();
        for (int start = 0; start < list.size(); start += CHUNK) {
            chunks.add(list.subList(start, Math.min(list.size(), start + CHUNK)));
        }
        return chunks;
    }
}
