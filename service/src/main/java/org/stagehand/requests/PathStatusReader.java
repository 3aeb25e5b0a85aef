package org.stagehand.requests;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.requests.PathRequest.RequestedPath;
import org.stagehand.requests.PathRequestDao.PathRow;
import org.stagehand.requests.PathStatus.PathFile;
import org.stagehand.requests.PathStatus.State;
import org.stagehand.work.FileState;
import org.stagehand.work.RequestFileState;

/** How a path request's paths stand: read from its rows, or from its list until it is expanded. */
final class PathStatusReader {

    private static final Logger LOG = LoggerFactory.getLogger(PathStatusReader.class);

    private final Jdbi jdbi;

    PathStatusReader(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * A request whose paths are not expanded yet, from its list: the paths the door refused have
     * failed, the rest are queued (whatever they will turn out to be: behind, never ahead).
     */
    PathStatus listed(UUID requestId, Instant createdAt, List<RequestedPath> paths) {
        List<PathFile> files = new ArrayList<>(paths.size());
        boolean settled = true;
        for (RequestedPath path : paths) {
            if (path.refusal() != null) {
                files.add(new PathFile(path.name(), State.FAILED, path.refusal(), createdAt));
            } else {
                files.add(new PathFile(path.name(), State.QUEUED, null, null));
                settled = false;
            }
        }
        return new PathStatus(requestId, createdAt, null, settled ? createdAt : null, files);
    }

    /** Where each path of a request stands, read from the database; empty for an unknown request. */
    Optional<PathStatus> read(UUID requestId) {
        // The list first: once it is gone the rows are there, while rows read first could be missed
        // by a list expanded between the two reads.
        Optional<PathListDao.Listed> listed = Optional.empty();
        List<PathRow> rows = List.of();
        try (var handle = jdbi.open()) {
            listed = new PathListDao(handle).find(requestId);
            if (listed.isEmpty()) {
                rows = new PathRequestDao(handle).pathRows(requestId);
            }
        }
        if (listed.isPresent()) {
            return Optional.of(listed(requestId, listed.get().createdAt(), listed.get().list().paths()));
        }
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Instant createdAt = rows.get(0).createdAt();
        List<PathFile> files = new ArrayList<>(rows.size());
        Instant lastSettled = createdAt;
        boolean allSettled = true;
        for (PathRow row : rows) {
            PathFile file = fileOf(row);
            files.add(file);
            if (file.finishedAt() == null) {
                allSettled = false;
            } else if (file.finishedAt().isAfter(lastSettled)) {
                lastSettled = file.finishedAt();
            }
        }
        return Optional.of(new PathStatus(requestId, createdAt, startedAt(requestId, rows), allSettled ? lastSettled : null,
                files));
    }

    /**
     * When the request's first file started: as recorded, or else the earliest start this read
     * shows (a file's work claimed while the request waits for it, or a file settled from work),
     * recorded then so that it never moves. A start no read saw (claimed, then back to pending) is
     * seen late, never early; never before the request itself.
     */
    private Instant startedAt(UUID requestId, List<PathRow> rows) {
        if (rows.get(0).startedAt() != null) {
            return rows.get(0).startedAt();
        }
        Instant createdAt = rows.get(0).createdAt();
        Instant earliest = null;
        for (PathRow row : rows) {
            Instant start = null;
            if (row.workState() == FileState.ACTIVE && row.state() == RequestFileState.WAITING) {
                start = row.workSince();
            } else if (row.state() == RequestFileState.READY || row.state() == RequestFileState.FAILED) {
                start = row.completedAt();
            }
            if (start != null && (earliest == null || start.isBefore(earliest))) {
                earliest = start;
            }
        }
        if (earliest == null) {
            return null;
        }
        Instant startedAt = earliest.isBefore(createdAt) ? createdAt : earliest; // shared work may have begun before
        try {
            jdbi.useHandle(handle -> new StagingRequestDao(handle).recordStarted(requestId, startedAt));
        } catch (RuntimeException e) {
            LOG.warn("cannot record when request {} started: {}", requestId, e.toString());
        }
        return startedAt;
    }

    private static PathFile fileOf(PathRow row) {
        if (row.fileId() == null) {
            return new PathFile(row.path(), State.FAILED, nonEmpty(row.pathError(), "no such file"), row.createdAt());
        }
        if (row.state() == null) {
            return new PathFile(row.path(), State.FAILED, "the request holds no record of this file", row.createdAt());
        }
        return switch (row.state()) {
            case WAITING -> new PathFile(row.path(), row.workState() == FileState.ACTIVE ? State.STAGING : State.QUEUED,
                    null, null);
            case READY -> new PathFile(row.path(), State.READY, null, row.completedAt());
            case FAILED -> new PathFile(row.path(), State.FAILED, nonEmpty(row.error(), "staging failed"), row.completedAt());
            case CANCELLED -> new PathFile(row.path(), State.CANCELLED, nonEmpty(row.error(), "cancelled"), row.completedAt());
        };
    }

    private static String nonEmpty(String text, String otherwise) {
        return text == null || text.isBlank() ? otherwise : text;
    }
}
