package org.stagehand.testing;

import static org.stagehand.testing.rows.CatalogEntryFixture.aCatalogEntry;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.stagehand.testing.rows.CatalogEntryFixture;

/**
 * The base of the DAO tests ({@code *DaoIT}): every test runs once on H2 and once on PostgreSQL,
 * with the schema of the real migrations, each starting from empty tables. Rows are put in place
 * with the fixtures of {@code org.stagehand.testing.rows}.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(DaoDatabase.class)
public abstract class DaoTest {

    @Parameter
    protected DaoDatabase database;

    /** The database of this run, with empty tables. */
    protected Jdbi jdbi;

    /**
     * A handle of this test's own on {@link #jdbi}, for the DAOs that are built on the caller's
     * handle (a subclass's {@code @BeforeEach} runs after this class's and may use it); closed
     * after the test.
     */
    protected Handle handle;

    @BeforeEach
    final void startFromEmptyTables() {
        jdbi = database.emptied();
        handle = jdbi.open();
    }

    @AfterEach
    final void closeHandle() {
        handle.close();
    }

    /** Inserts the catalog entry {@code fileId}, staged at {@code data/<fileId>}. */
    protected CatalogEntryFixture entry(String fileId) {
        return aCatalogEntry().withFileId(fileId).withStagingPath("data/" + fileId).insert(jdbi);
    }
}
