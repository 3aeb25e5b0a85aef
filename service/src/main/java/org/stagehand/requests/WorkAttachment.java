package org.stagehand.requests;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.stagehand.area.StagingArea;
import org.stagehand.catalog.CatalogEntry;

/**
 * What a request's files need from the work queue, when a request is stored and when its files are
 * tried again: a work row for each, locked for the rest of the transaction.
 */
final class WorkAttachment {

    /**
     * Files per statement. IDs go to the database as one array parameter, so this bounds the size
     * of a statement and of a lock batch, not a parameter count.
     */
    static final int CHUNK = 5000;

    private final StagingArea area;

    WorkAttachment(StagingArea area) {
        this.area = area;
    }

    /**
     * Makes sure each file has a work row that will bring it into place, and locks it: files never
     * asked for are queued; files that failed, that nobody wanted any more, or whose copy has gone
     * are queued again. The lock orders this transaction against a worker settling the file, so
     * the request cannot miss the file's outcome.
     *
     * @return per file, the requests' state for it: READY when a copy is in place, else WAITING
     */
    Map<String, String> attach(StagingRequestDao dao, List<String> sortedChunk, Map<String, CatalogEntry> entries,
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

    /** The IDs in slices of {@link #CHUNK}, in order. */
    static List<List<String>> chunks(Collection<String> ids) {
        List<String> list = List.copyOf(ids);
        List<List<String>> chunks = new ArrayList<>();
        for (int start = 0; start < list.size(); start += CHUNK) {
            chunks.add(list.subList(start, Math.min(list.size(), start + CHUNK)));
        }
        return chunks;
    }
}
