package org.stagehand.it;

import java.nio.file.Path;
import org.stagehand.testing.TestDatabase;

/** {@link CatalogImportIT} on PostgreSQL. */
class PostgresCatalogImportIT extends CatalogImportIT {

    @Override
    TestDatabase database(Path directory) {
        return TestDatabase.postgres();
    }
}
