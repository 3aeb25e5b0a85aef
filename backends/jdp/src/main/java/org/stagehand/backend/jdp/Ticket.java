package org.stagehand.backend.jdp;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** An upstream restore request of one batch, and the file IDs still waiting on it. */
final class Ticket {

    final Optional<String> requestId;
    final Set<String> fileIds;
    String lastWord = "not polled yet";
    RestoreStatus lastStatus = new RestoreStatus(RestoreStatus.State.NEW, "", "");
    /** When an unknown status word was first seen in a row (nanoTime); -1 while the words are known. */
    long unknownSince = -1;

    Ticket(Optional<String> requestId, List<String> fileIds) {
        this.requestId = requestId;
        this.fileIds = new LinkedHashSet<>(fileIds);
    }

    String name() {
        return "upstream restore request " + requestId.orElse("(none)");
    }
}
