package org.stagehand.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stagehand.testing.rows.CatalogEntryFixture.aCatalogEntry;
import static org.stagehand.testing.rows.RequestFileFixture.aRequestFile;
import static org.stagehand.testing.rows.RequestPathFixture.aRequestPath;
import static org.stagehand.testing.rows.StagedFileFixture.aStagedFile;
import static org.stagehand.testing.rows.StagingRequestFixture.aStagingRequest;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.stagehand.testing.DaoTest;
import org.stagehand.testing.rows.CatalogEntryFixture;
import org.stagehand.testing.rows.StagingRequestFixture;
import org.stagehand.testing.rows.Times;
import org.stagehand.work.FileState;
import org.stagehand.work.RequestFileState;

class RequestSearchDaoIT extends DaoTest {

    private List<UUID> found(String text, RequestSearch.Status status, RequestSearch.Cursor before, int limit) {
        return new RequestSearch(jdbi).search(text, text, status, before, limit).stream()
                .map(RequestSearch.Found::requestId).toList();
    }

    @Test
    void aSearchMatchesTheUuidAFileIdAPathAClientOrAnOrcidNewestFirst() {
        CatalogEntryFixture entry = aCatalogEntry().withFileId("f1").withStagingPath("genomes/a.fa").insert(jdbi);
        StagingRequestFixture older = aStagingRequest().withCreatedAt(Times.t0Plus(-60)).insert(jdbi);
        aRequestFile(older, entry).withState(RequestFileState.READY).insert(jdbi);
        StagingRequestFixture newer = aStagingRequest().withClient("fts-1").insert(jdbi);
        aRequestFile(newer, entry).withState(RequestFileState.WAITING).insert(jdbi);
        aRequestPath(newer, 0, "/archive/genomes/a.fa").insert(jdbi);
        StagingRequestFixture other = aStagingRequest().withRequesterOrcid("0000-0002-1825-0097").insert(jdbi);

        assertThat(found("f1", null, null, 10)).containsExactly(newer.requestId(), older.requestId());
        assertThat(found("genomes/a.fa", null, null, 10)).containsExactly(newer.requestId(), older.requestId());
        assertThat(found("/archive/genomes/a.fa", null, null, 10)).containsExactly(newer.requestId());
        assertThat(found("fts-1", null, null, 10)).containsExactly(newer.requestId());
        assertThat(found("0000-0002-1825-0097", null, null, 10)).containsExactly(other.requestId());
        assertThat(found(older.requestId().toString(), null, null, 10)).containsExactly(older.requestId());
        assertThat(found("f1", RequestSearch.Status.READY, null, 10)).containsExactly(older.requestId());
        assertThat(found("f1", RequestSearch.Status.STAGING, null, 10)).containsExactly(newer.requestId());
        assertThat(found(null, RequestSearch.Status.CANCELLED, null, 10)).isEmpty();
    }

    @Test
    void pagesFollowEachOtherWithoutGapOrRepeatEvenAtOneMoment() {
        for (int i = 0; i < 5; i++) {
            // Three of them at the same moment: the request ID breaks the tie.
            aStagingRequest().withCreatedAt(Times.t0Plus(i < 3 ? 0 : i)).insert(jdbi);
        }
        List<RequestSearch.Found> first = new RequestSearch(jdbi).search(null, null, null, null, 2);
        RequestSearch.Found last = first.get(1);
        List<UUID> second = found(null, null, new RequestSearch.Cursor(last.createdAt(), last.requestId()), 2);
        RequestSearch.Found secondLast = new RequestSearch(jdbi).search(null, null, null,
                new RequestSearch.Cursor(last.createdAt(), last.requestId()), 2).get(1);
        List<UUID> third = found(null, null, new RequestSearch.Cursor(secondLast.createdAt(), secondLast.requestId()), 2);

        List<UUID> all = found(null, null, null, 10);
        assertThat(all).hasSize(5);
        List<UUID> paged = new java.util.ArrayList<>(first.stream().map(RequestSearch.Found::requestId).toList());
        paged.addAll(second);
        paged.addAll(third);
        assertThat(paged).isEqualTo(all);
    }

    @Test
    void aPageCountsEachRequestsFilesByState() {
        StagingRequestFixture request = aStagingRequest().insert(jdbi);
        for (RequestFileState state : List.of(RequestFileState.READY, RequestFileState.READY, RequestFileState.FAILED)) {
            aRequestFile(request, aCatalogEntry().insert(jdbi)).withState(state).insert(jdbi);
        }
        RequestSearch.Found found = new RequestSearch(jdbi).search(null, null, null, null, 10).get(0);
        assertThat(found.filesByState()).containsEntry(RequestFileState.READY, 2L).containsEntry(RequestFileState.FAILED, 1L).hasSize(2);
    }

    @Test
    void workRowsTellAttemptsAndWhoCopies() {
        CatalogEntryFixture copying = aCatalogEntry().insert(jdbi);
        CatalogEntryFixture failed = aCatalogEntry().insert(jdbi);
        aStagedFile(copying).claimedBy("host-a", "t", Times.t0Plus(60)).withAttempts(2).insert(jdbi);
        aStagedFile(failed).withState(FileState.FAILED).withAttempts(5).insert(jdbi);

        var work = new RequestSearch(jdbi).work(List.of(copying.fileId(), failed.fileId(), "never-queued"));

        assertThat(work).hasSize(2);
        assertThat(work.get(copying.fileId()).leaseOwner()).isEqualTo("host-a");
        assertThat(work.get(copying.fileId()).attempts()).isEqualTo(2);
        assertThat(work.get(failed.fileId()).state()).isEqualTo(FileState.FAILED);
    }
}
