package org.stagehand.it;

import java.nio.file.Path;
import org.stagehand.testing.TestDatabase;

/** {@link HostileInputIT} on a real PostgreSQL server. */
class PostgresHostileInputIT extends HostileInputIT {

    @Override
    TestDatabase database(Path directory) {
        return TestDatabase.postgres();
    }
}
