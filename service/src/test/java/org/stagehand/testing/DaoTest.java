package org.stagehand.testing;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

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

    @BeforeEach
    final void startFromEmptyTables() {
        jdbi = database.emptied();
    }
}
