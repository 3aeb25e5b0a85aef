package org.stagehand.requests;

import static org.stagehand.db.SqlArrays.varchars;

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
import org.stagehand.work.FileState;
import org.stagehand.work.RequestFileState;
import org.stagehand.work.RequestedWork;

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
    private final boolean postgres;

    /** @param postgres whether the database is PostgreSQL (else H2), for the work statements' dialect */
    WorkAttachment(StagingArea area, boolean postgres) {
        this.area = area;
        this.postgres = postgres;
    }

    /**
     * Makes sure each file has a work row that will bring it into place, and locks it: files never
     * asked for are queued; files that failed, that nobody wanted any more, or whose copy has gone
     * are queued again. The lock orders this transaction against a worker settling the file, so
     * the request cannot miss the file's outcome.
     *
     * @param work the work rows' DAO, on the transaction's handle
     * @return per file, the requests' state for it ({@link RequestFileState#of} its work's state
     *     now): READY when a copy is in place, else WAITING
     */
    Map<String, RequestFileState> attach(RequestedWork work, List<String> sortedChunk, Map<String, CatalogEntry> entries,
                                         Instant now) {
        Map<String, FileState> states = new HashMap<>(sortedChunk.size() * 4 / 3 + 1);
        lockOrInsert(work, sortedChunk, now, states);
        // A row another transaction inserted and then evicted before this one could lock it is gone: again.
        List<String> gone = sortedChunk.stream().filter(id -> !states.containsKey(id)).toList();
        if (!gone.isEmpty()) {
            lockOrInsert(work, gone, now, states);
        }
        List<String> again = new ArrayList<>();
        Map<String, RequestFileState> requestStates = new HashMap<>(sortedChunk.size() * 4 / 3 + 1);
        for (String id : sortedChunk) {
            FileState state = states.get(id);
            boolean ready = state == FileState.READY && area.exists(entries.get(id).stagingPath());
            boolean underWay = state == FileState.PENDING || state == FileState.ACTIVE;
            if (!ready && !underWay) {
                again.add(id);
            }
            requestStates.put(id, RequestFileState.of(ready || underWay ? state : FileState.PENDING));
        }
        if (!again.isEmpty()) {
            work.requeue(varchars(again), now);
        }
        return requestStates;
    }

    /**
     * Locks (and touches) the work rows of these files that exist and inserts those missing,
     * putting each file's state in {@code states}. Locking first: most files asked for have work
     * already, and then no insert runs, so none waits in its conflict check behind another
     * transaction that holds a shared row. Rows this transaction inserted need no lock (no one else
     * sees them before the commit); where the database cannot say which rows it inserted (H2), the
     * missing are locked after the insert, as are rows another transaction inserted meanwhile. A
     * file whose row is neither inserted nor there to lock is left out.
     */
    private void lockOrInsert(RequestedWork work, List<String> sortedIds, Instant now, Map<String, FileState> states) {
        states.putAll(work.lockAndTouch(sortedIds, now, postgres));
        List<String> missing = sortedIds.stream().filter(id -> !states.containsKey(id)).toList();
        if (missing.isEmpty()) {
            return;
        }
        Optional<Set<String>> inserted = work.insertMissingWork(missing, now, postgres);
        List<String> others = missing;
        if (inserted.isPresent()) {
            inserted.get().forEach(id -> states.put(id, FileState.PENDING));
            others = missing.stream().filter(id -> !inserted.get().contains(id)).toList();
        }
        states.putAll(work.lockAndTouch(others, now, postgres));
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
