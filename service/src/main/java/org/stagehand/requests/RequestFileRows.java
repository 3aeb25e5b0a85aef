package org.stagehand.requests;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.stagehand.work.RequestFileDao;
import org.stagehand.work.RequestFileState;

/** The requests' file rows, inserted {@link WorkAttachment#CHUNK} to a statement. */
final class RequestFileRows {
    private final RequestFileDao dao;
    private final Instant now;
    private final List<String> requestIds = new ArrayList<>();
    private final List<String> fileIds = new ArrayList<>();
    private final List<RequestFileState> states = new ArrayList<>();
    private final List<Integer> positions = new ArrayList<>();
    private final List<String> paths = new ArrayList<>();
    private final List<String> metadata = new ArrayList<>();

    RequestFileRows(RequestFileDao dao, Instant now) {
        this.dao = dao;
        this.now = now;
    }

    /** @param asSent the first path naming the file, for a request named by paths; else null */
    void add(UUID requestId, String fileId, RequestFileState state, PathRows.AsSent asSent) {
        requestIds.add(requestId.toString());
        fileIds.add(fileId);
        states.add(state);
        positions.add(asSent == null ? null : asSent.position());
        paths.add(asSent == null ? null : asSent.path());
        metadata.add(asSent == null ? null : asSent.metadata());
        if (fileIds.size() == WorkAttachment.CHUNK) {
            flush();
        }
    }

    void flush() {
        if (!fileIds.isEmpty()) {
            dao.insert(requestIds, fileIds, states, positions, paths, metadata, now);
            requestIds.clear();
            fileIds.clear();
            states.clear();
            positions.clear();
            paths.clear();
            metadata.clear();
        }
    }
}
