package org.stagehand.it;

import java.nio.file.Path;
import org.stagehand.testing.TestDatabase;

/** Shared work and restart on a real PostgreSQL server. */
class PostgresSharedWorkIT extends SharedWorkIT {

    @Override
    TestDatabase database(Path directory) {
        return TestDatabase.postgres();
    }
}
