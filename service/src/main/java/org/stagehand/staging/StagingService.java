package org.stagehand.staging;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.app.ApiException;
import org.stagehand.area.StagingArea;
import org.stagehand.catalog.CatalogDao;
import org.stagehand.catalog.CatalogEntry;
import org.stagehand.staging.StagingStatus.ByteCounts;
import org.stagehand.staging.StagingStatus.FileCounts;

/**
 * Accepts staging requests and reports on them. A request is stored with all its files, in one
 * transaction, before it is acknowledged; the work dispatcher does the rest.
 */
public final class StagingService {

    private static final Logger LOG = LoggerFactory.getLogger(StagingService.class);
    /** Rows per statement, well below the parameter limits of H2 and PostgreSQL. */
    private static final int CHUNK = 1000;
    private static final int MAX_UNKNOWN_LISTED = 100;

    private final Jdbi jdbi;
    private final StagingArea area;
    private final StagingConfiguration config;
    private final Runnable workSignal;
    private final Clock clock;

    /**
     * @param workSignal told when new work has been stored
     */
    public StagingService(Jdbi jdbi, StagingArea area, StagingConfiguration config, Runnable workSignal, Clock clock) {
        this.jdbi = jdbi;
        this.area = area;
        this.config = config;
        this.workSignal = workSignal;
        this.clock = clock;
    }

    /**
     * Validates a request body, checks every ID against the catalog and stores the request.
     *
     * @throws ApiException 400 for a malformed body, 413 over the limit, 404 for unknown IDs
     */
    public StagingAccepted submit(JsonNode body) {
        List<String> ids = parseIds(body);
        if (ids.size() > config.getMaxFilesPerRequest()) {
            throw ApiException.tooLarge("the request names " + ids.size() + " distinct IDs; at most "
                    + config.getMaxFilesPerRequest() + " are accepted in one request");
        }
        Map<String, CatalogEntry> entries = lookUp(ids);
        if (entries.size() < ids.size()) {
            List<String> unknown = ids.stream().filter(id -> !entries.containsKey(id)).toList();
            throw ApiException.notFound(unknown.size() + " of the " + ids.size() + " IDs are not in the catalog",
                    unknown.subList(0, Math.min(MAX_UNKNOWN_LISTED, unknown.size())));
        }
        UUID requestId = UUID.randomUUID();
        storeRetryingConflicts(requestId, entries);
        LOG.info("request {} accepted with {} files", requestId, ids.size());
        workSignal.run();
        return new StagingAccepted(requestId);
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
            ids.add(id);
        }
        return List.copyOf(ids);
    }

    private Map<String, CatalogEntry> lookUp(List<String> ids) {
        Map<String, CatalogEntry> entries = new HashMap<>();
        jdbi.useExtension(CatalogDao.class, dao -> {
            for (List<String> chunk : chunks(ids)) {
                dao.findByIds(chunk).forEach(entry -> entries.put(entry.fileId(), entry));
            }
        });
        return entries;
    }

    /**
     * Stores the request; PostgreSQL may abort one of two requests that lock shared files at the
     * same moment (deadlock or serialization failure), and then it is simply run again.
     */
    private void storeRetryingConflicts(UUID requestId, Map<String, CatalogEntry> entries) {
        for (int attempt = 1; ; attempt++) {
            try {
                jdbi.useTransaction(handle -> store(handle, requestId, entries));
                return;
            } catch (JdbiException e) {
                if (attempt >= 3 || !isConflict(e)) {
                    throw e;
                }
                LOG.info("request {} met a concurrent request on shared files; storing it again", requestId);
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

    private void store(Handle handle, UUID requestId, Map<String, CatalogEntry> entries) {
        StagingRequestDao dao = handle.attach(StagingRequestDao.class);
        Instant now = clock.instant();
        dao.insertRequest(requestId, now, entries.size());
        // Sorted, so concurrent requests lock shared rows in the same order and cannot deadlock.
        List<String> sorted = entries.keySet().stream().sorted().toList();
        for (List<String> chunk : chunks(sorted)) {
            dao.insertMissingWork(chunk, now);
            Map<String, String> states = dao.lockWork(chunk);
            List<String> again = new ArrayList<>();
            List<String> requestStates = new ArrayList<>(chunk.size());
            List<Instant> completedAt = new ArrayList<>(chunk.size());
            for (String id : chunk) {
                String state = states.get(id);
                boolean ready = "READY".equals(state) && area.exists(entries.get(id).stagingPath());
                if ("FAILED".equals(state) || ("READY".equals(state) && !ready)) {
                    again.add(id);
                }
                requestStates.add(ready ? "READY" : "WAITING");
                completedAt.add(ready ? now : null);
            }
            if (!again.isEmpty()) {
                dao.requeue(again, now);
            }
            dao.insertRequestFiles(requestId, chunk, requestStates, completedAt);
        }
    }

    /** The status of a request, or empty when there is no such request. */
    public Optional<StagingStatus> status(UUID requestId) {
        return jdbi.withExtension(StagingRequestDao.class, dao -> dao.findRequest(requestId).map(request -> {
            Map<String, RequestFileSummary> byState = dao.summarize(requestId).stream()
                    .collect(Collectors.toMap(RequestFileSummary::state, summary -> summary));
            long waiting = files(byState, "WAITING");
            long ready = files(byState, "READY");
            long failed = files(byState, "FAILED");
            String status = waiting > 0 ? "staging" : failed > 0 ? "failed" : "ready";
            Instant lastSettled = byState.values().stream().map(RequestFileSummary::lastCompletedAt)
                    .filter(at -> at != null).max(Instant::compareTo).orElse(null);
            long bytesTotal = byState.values().stream().mapToLong(RequestFileSummary::bytes).sum();
            long bytesReady = Optional.ofNullable(byState.get("READY")).map(RequestFileSummary::bytes).orElse(0L);
            return new StagingStatus(requestId, status,
                    new FileCounts(waiting + ready + failed, ready, waiting, failed),
                    new ByteCounts(bytesTotal, bytesReady),
                    request.createdAt().toString(),
                    (lastSettled == null ? request.createdAt() : lastSettled).toString(),
                    waiting == 0 && lastSettled != null ? lastSettled.toString() : null,
                    failed == 0 ? List.of() : dao.failedFiles(requestId, StagingStatus.MAX_ERRORS));
        }));
    }

    private static long files(Map<String, RequestFileSummary> byState, String state) {
        RequestFileSummary summary = byState.get(state);
        return summary == null ? 0 : summary.files();
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
