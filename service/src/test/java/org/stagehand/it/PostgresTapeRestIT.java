package org.stagehand.it;

import java.nio.file.Path;
import org.stagehand.testing.TestDatabase;

/** The Tape REST door on a real PostgreSQL server. */
class PostgresTapeRestIT extends TapeRestIT {

    @Override
    TestDatabase database(Path directory) {
        return TestDatabase.postgres();
    }
}
