package org.stagehand.it;

import java.nio.file.Path;
import org.stagehand.testing.TestDatabase;

/** {@link OperationsIT} on H2 in a file. */
class H2OperationsIT extends OperationsIT {

    @Override
    TestDatabase database(Path directory) {
        return TestDatabase.h2(directory.resolve("db"));
    }
}
