package org.stagehand.it;

import java.nio.file.Path;
import org.stagehand.testing.TestDatabase;

/** The DTS contract on the embedded default database, H2 in a file. */
class H2StagingContractIT extends StagingContractIT {

    @Override
    TestDatabase database(Path directory) {
        return TestDatabase.h2(directory.resolve("db"));
    }
}
