package org.stagehand.it;

import java.nio.file.Path;
import org.stagehand.testing.TestDatabase;

/** The JDP-compatible door on the embedded default database, H2 in a file. */
class H2JdpApiIT extends JdpApiIT {

    @Override
    TestDatabase database(Path directory) {
        return TestDatabase.h2(directory.resolve("db"));
    }
}
