package org.stagehand.it;

import java.nio.file.Path;
import org.stagehand.testing.TestDatabase;

/** {@link SymlinkEscapeIT} on H2 in a file. */
class H2SymlinkEscapeIT extends SymlinkEscapeIT {

    @Override
    TestDatabase database(Path directory) {
        return TestDatabase.h2(directory.resolve("db"));
    }
}
