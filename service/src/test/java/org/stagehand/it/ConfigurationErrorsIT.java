package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.testing.ConfigOverride;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/** A wrong configuration stops the start with a message naming the key at fault. */
class ConfigurationErrorsIT {

    @TempDir
    Path directory;

    private List<ConfigOverride> overrides(Path archiveRoot, Path stagingRoot, ConfigOverride... more) throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive")).file("a", "a.bin", 10);
        return StagehandTestApp.overrides(TestDatabase.h2(directory.resolve("db")), stagingRoot,
                archiveRoot == null ? archive.root() : archiveRoot,
                archive.writeCatalog(directory.resolve("catalog.json")), more);
    }

    @Test
    void unknownBackendTypeNamesTheKeyAndTheKnownTypes() throws Exception {
        StagehandTestApp app = new StagehandTestApp(overrides(null, directory.resolve("staging"),
                ConfigOverride.config("backend.type", "tape-robot")));

        assertThatThrownBy(app::start)
                .hasMessageContaining("backend")
                .hasMessageContaining("tape-robot")
                .hasMessageContaining("posix");
    }

    @Test
    void missingArchiveRootNamesBackendRoot() throws Exception {
        StagehandTestApp app = new StagehandTestApp(overrides(
                directory.resolve("no-such-archive"), directory.resolve("staging")));

        assertThatThrownBy(app::start).hasMessageContaining("backend.root").hasMessageContaining("no-such-archive");
    }

    @Test
    void missingStagingRootNamesStagingRootWhenNotToBeCreated() throws Exception {
        StagehandTestApp app = new StagehandTestApp(overrides(null, directory.resolve("no-such-staging"),
                ConfigOverride.config("staging.createRoot", "false")));

        assertThatThrownBy(app::start).hasMessageContaining("staging.root");
        assertThat(Files.exists(directory.resolve("no-such-staging"))).isFalse();
    }

    @Test
    void publicBaseUrlThatIsNotAnAbsoluteHttpUrlNamesTheKey() throws Exception {
        StagehandTestApp app = new StagehandTestApp(overrides(null, directory.resolve("staging"),
                ConfigOverride.config("publicBaseUrl", "stage.example.org/dts")));

        assertThatThrownBy(app::start).hasMessageContaining("publicBaseUrl");
    }

    @Test
    void h2UrlWithoutPostgresModeNamesDatabaseUrl() throws Exception {
        // The URL is the only database override: a second override of one key does not reliably win.
        String plainUrl = "jdbc:h2:file:" + directory.resolve("db/plain").toAbsolutePath();
        TestDatabase plainH2 = () -> List.of(
                ConfigOverride.config("database.driverClass", "org.h2.Driver"),
                ConfigOverride.config("database.url", plainUrl),
                ConfigOverride.config("database.user", "sa"),
                ConfigOverride.config("database.password", ""));
        TestArchive archive = new TestArchive(directory.resolve("archive")).file("a", "a.bin", 10);
        StagehandTestApp app = new StagehandTestApp(StagehandTestApp.overrides(plainH2, directory.resolve("staging"),
                archive.root(), archive.writeCatalog(directory.resolve("catalog.json"))));

        assertThatThrownBy(app::start).hasMessageContaining("database.url").hasMessageContaining("MODE=PostgreSQL");
    }

    @Test
    void resolvingUnknownPathsWithABackendThatCannotDescribeThemNamesTheKey() throws Exception {
        StagehandTestApp app = new StagehandTestApp(overrides(null, directory.resolve("staging"),
                ConfigOverride.config("backend.type", "recording"),
                ConfigOverride.config("backend.name", "configuration-errors"),
                ConfigOverride.config("tapeRest.enabled", "true"),
                ConfigOverride.config("tapeRest.resolveUnknownPaths", "true")));
        // A start that fails leaves its dw.* properties set; the next test must not inherit the backend.
        java.util.Map<String, String> before = org.stagehand.testing.OverrideProperties.save();
        try {
            assertThatThrownBy(app::start).hasMessageContaining("tapeRest.resolveUnknownPaths");
        } finally {
            org.stagehand.testing.OverrideProperties.restore(before);
        }
    }
}
