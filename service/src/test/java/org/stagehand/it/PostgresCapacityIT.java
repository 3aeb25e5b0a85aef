package org.stagehand.it;

import java.nio.file.Path;
import org.stagehand.testing.TestDatabase;

/** {@link CapacityIT} on a real PostgreSQL server. */
class PostgresCapacityIT extends CapacityIT {

    @Override
    TestDatabase database(Path directory) {
        return TestDatabase.postgres();
    }
}
