package org.stagehand.it;

import java.nio.file.Path;
import org.stagehand.testing.TestDatabase;

/** Shared work and restart on H2 in a file. */
class H2SharedWorkIT extends SharedWorkIT {

    @Override
    TestDatabase database(Path directory) {
        return TestDatabase.h2(directory.resolve("db"));
    }
}
