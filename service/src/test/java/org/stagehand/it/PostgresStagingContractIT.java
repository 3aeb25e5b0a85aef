package org.stagehand.it;

import java.nio.file.Path;
import org.stagehand.testing.TestDatabase;

/** The DTS contract on a real PostgreSQL server. */
class PostgresStagingContractIT extends StagingContractIT {

    @Override
    TestDatabase database(Path directory) {
        return TestDatabase.postgres();
    }
}
