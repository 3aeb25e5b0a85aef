package org.stagehand.api.dts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.UUID;
import org.stagehand.requests.RequestFile;
import org.stagehand.requests.RequestFilePage;
import org.stagehand.work.RequestFileState;

/**
 * The answer to {@code GET /dts/staging/<uuid>/files}: a page of a request's files, in ID order.
 *
 * @param files up to {@code limit} files after the cursor
 * @param nextAfter the cursor for the next page ({@code ?after=}); absent on the last page
 * @param requesterOrcid who asked, for a request made through the JDP-compatible door; else absent
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DtsFilePage(UUID requestId, List<File> files, String nextAfter, String requesterOrcid) {

    /**
     * One file of the page.
     *
     * @param state {@code staging}, {@code ready}, {@code failed} or {@code cancelled}
     * @param bytes its size from the catalog, when known
     * @param completedAt when it settled for this request (ISO-8601)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record File(String id, String path, String state, Long bytes, String error, String completedAt) {
    }

    /** The engine's page in the contract's words. */
    static DtsFilePage of(RequestFilePage page) {
        return new DtsFilePage(page.requestId(), page.files().stream().map(DtsFilePage::file).toList(),
                page.nextAfter(), page.requesterOrcid());
    }

    private static File file(RequestFile file) {
        return new File(file.id(), file.path(), word(file.state()), file.bytes(), file.error(), file.completedAt());
    }

    /** The contract's word for a file's state: a waiting file is {@code staging}. */
    static String word(RequestFileState state) {
        return switch (state) {
            case WAITING -> "staging";
            case READY -> "ready";
            case FAILED -> "failed";
            case CANCELLED -> "cancelled";
        };
    }
}
