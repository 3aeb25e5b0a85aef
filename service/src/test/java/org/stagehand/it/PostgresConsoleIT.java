package org.stagehand.it;

import java.nio.file.Path;
import org.stagehand.testing.TestDatabase;

/** {@link ConsoleIT} on a real PostgreSQL server. */
class PostgresConsoleIT extends ConsoleIT {

    @Override
    TestDatabase database(Path directory) {
        return TestDatabase.postgres();
    }
}
