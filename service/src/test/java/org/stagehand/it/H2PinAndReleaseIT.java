package org.stagehand.it;

import java.nio.file.Path;
import org.stagehand.testing.TestDatabase;

/** {@link PinAndReleaseIT} on H2 in a file. */
class H2PinAndReleaseIT extends PinAndReleaseIT {

    @Override
    TestDatabase database(Path directory) {
        return TestDatabase.h2(directory.resolve("db"));
    }
}
