package org.stagehand.requests;

import java.util.List;
import java.util.UUID;

/**
 * A page of a request's files, in ID order.
 *
 * @param requestId the request
 * @param files up to {@code limit} files after the cursor
 * @param nextAfter the cursor for the next page ({@code ?after=}); absent on the last page
 * @param requesterOrcid who asked, for a request made through the JDP-compatible door; else absent
 */
public record RequestFilePage(UUID requestId, List<RequestFile> files, String nextAfter, String requesterOrcid) {
}
