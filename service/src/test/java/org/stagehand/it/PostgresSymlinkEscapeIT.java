package org.stagehand.it;

import java.nio.file.Path;
import org.stagehand.testing.TestDatabase;

/** {@link SymlinkEscapeIT} on a real PostgreSQL server. */
class PostgresSymlinkEscapeIT extends SymlinkEscapeIT {

    @Override
    TestDatabase database(Path directory) {
        return TestDatabase.postgres();
    }
}
