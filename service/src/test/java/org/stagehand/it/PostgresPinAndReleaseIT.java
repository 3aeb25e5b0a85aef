package org.stagehand.it;

import java.nio.file.Path;
import org.stagehand.testing.TestDatabase;

/** {@link PinAndReleaseIT} on a real PostgreSQL server. */
class PostgresPinAndReleaseIT extends PinAndReleaseIT {

    @Override
    TestDatabase database(Path directory) {
        return TestDatabase.postgres();
    }
}
