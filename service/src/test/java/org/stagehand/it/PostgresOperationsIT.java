package org.stagehand.it;

import java.nio.file.Path;
import org.stagehand.testing.TestDatabase;

/** {@link OperationsIT} on a real PostgreSQL server. */
class PostgresOperationsIT extends OperationsIT {

    @Override
    TestDatabase database(Path directory) {
        return TestDatabase.postgres();
    }
}
