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
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
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

    static Stream<Arguments> wholeFileErrors() {
        return Stream.of(
                Arguments.of("malformed.json", "{\"resources\": [{\"id\": \"a\", \"path\": \"a\"},,]}", "not valid JSON"),
                Arguments.of("array.json", "[{\"id\": \"a\", \"path\": \"a\"}]", "JSON object"),
                Arguments.of("empty.csv", "", "empty"),
                Arguments.of("no-header.csv", "a,data/a.bin\nb,data/b.bin\n", "'id' and 'path'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wholeFileErrors")
    void wholeFileErrorIsOneLineAndANonZeroExit(String name, String content, String says) throws Exception {
        Path file = directory.resolve(name);
        Files.writeString(file, content);

        assertThat(run("import-catalog", config.toString(), file.toString())).isPresent();

        String errors = stderr.toString(StandardCharsets.UTF_8).strip();
        assertThat(errors).contains(name).contains(says).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(errors.lines()).hasSize(1);
    }

    @Test
    void directoryIsOneLineAndANonZeroExit() throws Exception {
        assertThat(run("import-catalog", config.toString(), directory.resolve("archive").toString())).isPresent();

        String errors = stderr.toString(StandardCharsets.UTF_8).strip();
        assertThat(errors).contains("is a directory").doesNotContain("\tat ");
        assertThat(errors.lines()).hasSize(1);
    }

    @Test
    void fileThatBreaksOffHalfWayImportsNothing() throws Exception {
        StringBuilder json = new StringBuilder("{\"resources\": [");
        for (int i = 0; i < 1_200; i++) {
            json.append("{\"id\": \"f").append(i).append("\", \"path\": \"d/f").append(i).append(".bin\"},");
        }
        json.append("{\"id\": oops}]}");
        Path file = directory.resolve("broken.json");
        Files.writeString(file, json);

        assertThat(run("import-catalog", config.toString(), file.toString())).isPresent();

        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("not valid JSON").contains("nothing imported");
        assertThat(catalogPaths()).isEmpty();
    }

    @Test
    void quotedNewlineIsOneFieldAndABadUtf8LineIsRefusedAloneByNumber() throws Exception {
        StringBuilder csv = new StringBuilder("id,path,comment\n");
        csv.append("q1,data/q1.bin,\"two\nlines\"\n");
        csv.append("q2,data/q2.bin,\n");
        // Line 1 is the header, q1 spans lines 2 and 3, q2 is line 4: each n<i> stands on line i.
        for (int i = 5; i <= 2_600; i++) {
            csv.append("n").append(i).append(",data/n").append(i).append(".bin,\n");
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        bytes[csv.indexOf("n2502,") + 1] = (byte) 0xFF;
        Path file = directory.resolve("catalog.csv");
        Files.write(file, bytes);

        assertThat(run("import-catalog", config.toString(), file.toString())).isPresent();

        String errors = stderr.toString(StandardCharsets.UTF_8);
        assertThat(errors).contains("refused: line 2502: the line is not valid UTF-8").doesNotContain("\tat ");
        assertThat(errors).contains("imported 2597 catalog entries, rejected 1");
        Map<String, String> paths = catalogPaths();
        assertThat(paths).containsEntry("q1", "data/q1.bin").containsEntry("q2", "data/q2.bin")
                .containsEntry("n2600", "data/n2600.bin").doesNotContainKey("n2502").hasSize(2597);
    }

    @Test
    void pathThatIsADirectoryOfAnotherIsRefusedNamingTheFirst() throws Exception {
        Path file = directory.resolve("prefix.json");
        Files.writeString(file, "{\"resources\": [{\"id\": \"a\", \"path\": \"pre/a\"},"
                + " {\"id\": \"b\", \"path\": \"pre/a/b\"},"
                + " {\"id\": \"c\", \"path\": \"up/c/d\"},"
                + " {\"id\": \"d\", \"path\": \"up/c\"}]}");

        assertThat(run("import-catalog", config.toString(), file.toString())).isPresent();

        String errors = stderr.toString(StandardCharsets.UTF_8);
        assertThat(errors).contains("resources[1] (id 'b'): path 'pre/a/b' lies below 'pre/a', the path of id 'a'");
        assertThat(errors).contains("resources[3] (id 'd'): path 'up/c' is a directory of 'up/c/d' (id 'c')");
        assertThat(catalogPaths()).containsOnly(Map.entry("a", "pre/a"), Map.entry("c", "up/c/d"));
    }
}
