package org.stagehand.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stagehand.testing.rows.StagedFileFixture.aStagedFile;
import static org.stagehand.testing.rows.Times.t0Plus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.area.StagingArea;
import org.stagehand.catalog.CatalogEntry;
import org.stagehand.testing.DaoTest;
import org.stagehand.testing.rows.Rows;
import org.stagehand.work.FileState;
import org.stagehand.work.RequestFileState;
import org.stagehand.work.RequestedWork;

/** What a request's files get from the work queue when it is stored ({@link WorkAttachment}), on H2 and PostgreSQL. */
class WorkAttachmentDaoIT extends DaoTest {

    @TempDir
    Path stagingRoot;

    private WorkAttachment attachment;
    private final List<String> statements = new ArrayList<>();

    @BeforeEach
    void recordStatements() throws IOException {
        handle.setSqlLogger(new SqlLogger() {
            @Override
            public void logBeforeExecution(StatementContext context) {
                statements.add(context.getRenderedSql());
            }
        });
        attachment = new WorkAttachment(StagingArea.open(stagingRoot, true), database.isPostgres());
    }

    private Map<String, RequestFileState> attach(List<String> sortedIds) {
        Map<String, CatalogEntry> entries = new HashMap<>();
        new StagingRequestDao(handle).catalogEntries(sortedIds).forEach(entry -> entries.put(entry.fileId(), entry));
        statements.clear();
        return handle.inTransaction(transaction ->
                attachment.attach(new RequestedWork(transaction), sortedIds, entries, t0Plus(10)));
    }

    private long workInserts() {
        return statements.stream().filter(sql -> sql.contains("INSERT INTO staged_file")).count();
    }

    @Test
    void filesThatAllHaveWorkAreLockedWithoutAnInsert() {
        aStagedFile(entry("a")).insert(jdbi);
        aStagedFile(entry("b")).claimedBy("other", "token", t0Plus(60)).insert(jdbi);

        Map<String, RequestFileState> states = attach(List.of("a", "b"));

        assertThat(states).containsOnly(Map.entry("a", RequestFileState.WAITING), Map.entry("b", RequestFileState.WAITING));
        assertThat(workInserts()).isZero();
        assertThat(Rows.stagedFile(jdbi, "a").orElseThrow().lastRequestedAt()).isEqualTo(t0Plus(10));
    }

    @Test
    void filesWithoutWorkAreQueuedBesideThoseThatHaveIt() {
        aStagedFile(entry("a")).insert(jdbi);
        entry("new");

        Map<String, RequestFileState> states = attach(List.of("a", "new"));

        assertThat(states).containsOnly(Map.entry("a", RequestFileState.WAITING), Map.entry("new", RequestFileState.WAITING));
        assertThat(workInserts()).isOne();
        assertThat(Rows.stagedFile(jdbi, "new").orElseThrow())
                .extracting(Rows.StagedFileRow::state, Rows.StagedFileRow::lastRequestedAt)
                .containsExactly("PENDING", t0Plus(10));
        assertThat(Rows.count(jdbi, "staged_file")).isEqualTo(2);
    }

    @Test
    void failedWorkAndReadyWorkWhoseCopyIsGoneAreQueuedAgain() {
        aStagedFile(entry("failed")).withState(FileState.FAILED).withLastError("boom").insert(jdbi);
        aStagedFile(entry("gone")).withState(FileState.READY).insert(jdbi);

        Map<String, RequestFileState> states = attach(List.of("failed", "gone"));

        assertThat(states).containsOnly(Map.entry("failed", RequestFileState.WAITING), Map.entry("gone", RequestFileState.WAITING));
        assertThat(Rows.workState(jdbi, "failed")).isEqualTo("PENDING");
        assertThat(Rows.workState(jdbi, "gone")).isEqualTo("PENDING");
        assertThat(workInserts()).isZero();
    }
}
