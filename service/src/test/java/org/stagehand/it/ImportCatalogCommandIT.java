package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.app.StagehandApplication;
import org.stagehand.app.StagehandConfiguration;

/** {@code java -jar stagehand.jar import-catalog config.yml FILE}, run through Dropwizard's CLI. */
class ImportCatalogCommandIT {

    @TempDir
    Path directory;

    private Path config;
    private String jdbcUrl;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    @BeforeEach
    void writeConfig() throws Exception {
        Files.createDirectories(directory.resolve("archive"));
        jdbcUrl = "jdbc:h2:file:" + directory.resolve("db/stagehand") + ";MODE=PostgreSQL";
        config = directory.resolve("config.yml");
        Files.writeString(config, String.join("\n",
                "database:",
                "  driverClass: org.h2.Driver",
                "  url: \"" + jdbcUrl + "\"",
                "  user: sa",
                "autoMigrate: true",
                "staging:",
                "  root: " + directory.resolve("staging"),
                "  idPrefix: \"JDP:\"",
                "backend:",
                "  type: posix",
                "  root: " + directory.resolve("archive"),
                ""));
    }

    private Optional<Throwable> run(String... args) throws Exception {
        StagehandApplication application = new StagehandApplication();
        Bootstrap<StagehandConfiguration> bootstrap = new Bootstrap<>(application);
        application.initialize(bootstrap);
        Cli cli = new Cli(new JarLocation(StagehandApplication.class), bootstrap,
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
        return cli.run(args);
    }

    private Map<String, String> catalogPaths() throws Exception {
        Map<String, String> paths = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "sa", "");
             ResultSet rows = connection.createStatement().executeQuery("SELECT file_id, staging_path FROM catalog_entry")) {
            while (rows.next()) {
                paths.put(rows.getString(1), rows.getString(2));
            }
        }
        return paths;
    }

    @Test
    void importsGoodEntriesAndRefusesUnsafeOnesByLine() throws Exception {
        Path csv = directory.resolve("catalog.csv");
        Files.writeString(csv, String.join("\n",
                "id,path,bytes,hash",
                "good-1,data/one.bin,10,",
                "escape,../etc/passwd,10,",
                "absolute,/etc/shadow,10,",
                "empty,,10,",
                "JDP:good-2,\"data/with, comma.bin\",20,md5:0123456789abcdef0123456789abcdef",
                "bad-hash,data/three.bin,5,sha256:abc",
                "inner-escape,data/../../x,1,",
                ""));

        Optional<Throwable> failure = run("import-catalog", config.toString(), csv.toString());

        assertThat(failure).as("refused entries make the command fail").isPresent();
        String errors = stderr.toString(StandardCharsets.UTF_8);
        assertThat(errors).contains("line 3 (id 'escape')").contains("'..'");
        assertThat(errors).contains("line 4 (id 'absolute')").contains("absolute");
        assertThat(errors).contains("line 5 (id 'empty')").contains("path is empty");
        assertThat(errors).contains("line 7 (id 'bad-hash')");
        assertThat(errors).contains("line 8 (id 'inner-escape')");
        assertThat(errors).contains("imported 2 catalog entries, rejected 5").doesNotContain("\tat ");
        assertThat(catalogPaths()).containsOnly(
                Map.entry("good-1", "data/one.bin"),
                Map.entry("good-2", "data/with, comma.bin"));
    }

    @Test
    void reimportingUpdatesEntries() throws Exception {
        Path first = directory.resolve("first.json");
        Files.writeString(first, "{\"resources\": [{\"id\": \"x\", \"path\": \"old/x.bin\", \"bytes\": 1}]}");
        Path second = directory.resolve("second.json");
        Files.writeString(second, "{\"resources\": [{\"id\": \"x\", \"path\": \"new/x.bin\", \"bytes\": 2},"
                + " {\"id\": \"y\", \"path\": \"new/y.bin\"}]}");

        assertThat(run("import-catalog", config.toString(), first.toString())).isEmpty();
        assertThat(run("import-catalog", config.toString(), second.toString())).isEmpty();

        assertThat(catalogPaths()).containsOnly(Map.entry("x", "new/x.bin"), Map.entry("y", "new/y.bin"));
    }

    @Test
    void twoIdsCannotShareAStagingPath() throws Exception {
        Path file = directory.resolve("clash.json");
        Files.writeString(file, "{\"resources\": [{\"id\": \"a\", \"path\": \"same.bin\"},"
                + " {\"id\": \"b\", \"path\": \"same.bin\"}]}");

        assertThat(run("import-catalog", config.toString(), file.toString())).isPresent();

        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("resources[1] (id 'b')")
                .contains("already belongs to id 'a'");
        assertThat(catalogPaths()).containsOnly(Map.entry("a", "same.bin"));
    }
}
