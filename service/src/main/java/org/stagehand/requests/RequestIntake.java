package org.stagehand.requests;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.lifecycle.Managed;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
import org.stagehand.requests.RequestWriter.NewRequest;
import org.stagehand.work.RequestFileDao;
import org.stagehand.work.RequestFileState;
import org.stagehand.work.RequestedWork;

/**
 * Accepts requests: checks what a client asked for, looks every file up in the catalog and stores
 * the request with all its files, in one transaction (shared with other small requests that arrive
 * at the same moment), before it is acknowledged; the work dispatcher does the rest.
 */
public final class RequestIntake implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(RequestIntake.class);
    private static final int MAX_UNKNOWN_LISTED = 100;
    /**
     * Threads that store small requests, several to a transaction. Two: one can commit while the
     * other runs its statements.
     */
    private static final int REQUEST_WRITERS = 2;

    private final Jdbi jdbi;
    private final WorkAttachment work;
    private final StagingConfiguration config;
    private final Runnable workSignal;
    private final Clock clock;
    private final RequestStatusReader status;
    private final RequestWriter writer;

    /**
     * @param postgres whether the database is PostgreSQL (else H2)
     * @param status told the answer of each request just stored
     * @param workSignal told when new work has been stored
     */
    public RequestIntake(Jdbi jdbi, boolean postgres, RequestStatusReader status, StagingArea area,
                         StagingConfiguration config, Runnable workSignal, Clock clock) {
        this.jdbi = jdbi;
        this.status = status;
        this.writer = new RequestWriter(this::lookUpAndStore, REQUEST_WRITERS);
        this.work = new WorkAttachment(area, postgres);
        this.config = config;
        this.workSignal = workSignal;
        this.clock = clock;
    }

    /**
     * Validates a request body, checks every ID against the catalog and stores the request.
     *
     * @return the new request's ID, once the request is committed
     * @throws ApiException 400 for a malformed body, 413 over the limit, 404 for unknown IDs
     */
    public UUID submit(JsonNode body) {
        return submit(body, null);
    }

    /**
     * Like {@link #submit(JsonNode)}, recording who asked and by which door.
     *
     * @param origin recorded with the request, or null
     */
    UUID submit(JsonNode body, RequestOrigin origin) {
        List<String> ids = withinLimit(parseIds(body));
        UUID requestId = UUID.randomUUID();
        writer.write(new NewRequest(requestId, ids, null, origin));
        return requestId;
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

    /** Stores a request whose file IDs are known, or a path request's list; returns once it is committed. */
    void write(NewRequest request) {
        writer.write(request);
    }

    /**
     * Expands stored path lists into their files' rows, in one transaction on the caller's thread;
     * a list that another instance expanded meanwhile, or whose request was forgotten, is left.
     *
     * @param entries the catalog entries of the expansions' files, as the expansion looked them up
     *     by path (not looked up again by ID)
     */
    void expand(List<NewRequest> expansions, Map<String, CatalogEntry> entries) {
        jdbi.useHandle(handle -> storeRetryingConflicts(handle, expansions, entries));
    }

    /** Starts the threads that store requests arriving together in one transaction. */
    @Override
    public void start() {
        writer.start();
    }

    @Override
    public void stop() throws InterruptedException {
        writer.stop();
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
                } else if (request.listed() != null) {
                    LOG.info("request accepted with {} paths", request.listed().size());
                } else if (request.expands()) {
                    LOG.debug("request's paths expanded into {} files", request.ids().size());
                } else {
                    LOG.info("request accepted with {} files", request.ids().size());
                }
            }
        }
        if (known.stream().anyMatch(request -> !request.ids().isEmpty())) {
            workSignal.run();
        }
        return refused;
    }

    /** The requests' file IDs, each once (a request's own are distinct already). */
    private static List<String> fileIdsOf(List<NewRequest> requests) {
        return requests.size() == 1 ? requests.get(0).ids()
                : requests.stream().flatMap(request -> request.ids().stream()).distinct().toList();
    }

    private static StagingRequestDao dao(Handle handle) {
        return new StagingRequestDao(handle);
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
        for (List<String> chunk : WorkAttachment.chunks(ids)) {
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
                Map<String, RequestFileState> stateByFile = handle.inTransaction(transaction -> store(transaction, requests, entries));
                Instant committed = clock.instant();
                for (NewRequest request : requests) {
                    if (request.listed() != null) {
                        status.rememberListed(request.requestId(), request.listed().size(), committed);
                        continue;
                    }
                    status.rememberNew(request.requestId(), request.ids(), entries, stateByFile, committed);
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

    /**
     * Stores new requests (a path request as its list of paths, else with its files' rows) and
     * expands stored lists that are still there (another instance may have expanded one, or its
     * client forgotten it, meanwhile).
     *
     * @return each file's state for the requests, {@code READY} or {@code WAITING}
     */
    private Map<String, RequestFileState> store(Handle handle, List<NewRequest> requests,
                                                Map<String, CatalogEntry> entries) {
        Instant now = clock.instant();
        List<NewRequest> fresh = requests.stream().filter(request -> !request.expands()).toList();
        PathListDao lists = new PathListDao(handle);
        List<NewRequest> expansions = stillListed(lists, requests);
        StagingRequestDao requestDao = dao(handle);
        if (!fresh.isEmpty()) {
            requestDao.insertRequests(fresh, now);
            List<NewRequest> listed = fresh.stream().filter(request -> request.listed() != null).toList();
            if (!listed.isEmpty()) {
                lists.insert(listed, now);
            }
        }
        List<NewRequest> withFiles = new ArrayList<>(fresh.size() + expansions.size());
        fresh.stream().filter(request -> request.listed() == null).forEach(withFiles::add);
        withFiles.addAll(expansions);
        if (!expansions.isEmpty()) {
            requestDao.insertPaths(expansions);
        }
        RequestedWork queue = new RequestedWork(handle);
        // Sorted, so concurrent transactions lock shared rows in the same order and cannot deadlock.
        List<String> sorted = fileIdsOf(withFiles).stream().sorted().toList();
        Map<String, RequestFileState> stateByFile = new HashMap<>(sorted.size() * 4 / 3 + 1);
        for (List<String> chunk : WorkAttachment.chunks(sorted)) {
            stateByFile.putAll(work.attach(queue, chunk, entries, now));
        }
        RequestFileRows rows = new RequestFileRows(new RequestFileDao(handle), now);
        for (NewRequest request : withFiles) {
            Map<String, PathRows.AsSent> asSent = request.byPath() == null ? Map.of() : request.byPath().asSent();
            for (String id : request.ids()) {
                rows.add(request.requestId(), id, stateByFile.get(id), asSent.get(id));
            }
        }
        rows.flush();
        if (!expansions.isEmpty()) {
            lists.delete(expansions.stream().map(NewRequest::requestId).toList());
            requestDao.setFileCounts(expansions);
        }
        return stateByFile;
    }

    /** The expansions among the requests whose lists are still there, their requests locked. */
    private static List<NewRequest> stillListed(PathListDao lists, List<NewRequest> requests) {
        List<NewRequest> expansions = requests.stream().filter(NewRequest::expands).toList();
        if (expansions.isEmpty()) {
            return expansions;
        }
        Set<UUID> still = new HashSet<>(lists.lockStillListed(expansions.stream().map(NewRequest::requestId).toList()));
        return expansions.stream().filter(request -> still.contains(request.requestId())).toList();
    }
}
