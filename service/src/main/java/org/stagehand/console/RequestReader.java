package org.stagehand.console;

import java.util.Optional;
import java.util.UUID;
import org.stagehand.requests.RequestFilePage;
import org.stagehand.requests.StagingStatus;

/** The engine's read methods that a drill-down shows: a request's status answer and its files. */
public interface RequestReader {

    /** The engine's status answer, with its estimate when there is one; empty when there is no such request. */
    Optional<StagingStatus> status(UUID requestId);

    /** A page of the request's files in ID order after {@code after} (null: from the first). */
    Optional<RequestFilePage> files(UUID requestId, String after, int limit);
}
