package org.stagehand.backend.hpss;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.util.Duration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.BackendContext;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.support.testing.StagingItems;

/**
 * A test's HPSS: a directory tree, a tape map and failure rules for the {@code hsi} stand-in
 * script (src/test/hsi/hsi), plus a staging area, and a backend factory wired to all of it.
 */
final class HsiStandIn {

    static final String ARCHIVE_ROOT = "/archive/project";

    private final Path base;
    private final Path namespace;
    private final Path tapeMap;
    private final Path log;
    private final Path control;
    private final Path stagingRoot;
    private final Map<String, String> standInEnvironment = new LinkedHashMap<>();
    private final List<String> rules = new ArrayList<>();
    private final List<String> reportedMounts = new CopyOnWriteArrayList<>();
    private int itemNumber;

    HsiStandIn(Path base) throws IOException {
        this.base = base;
        this.namespace = Files.createDirectories(base.resolve("hpss"));
        this.tapeMap = base.resolve("tapes.txt");
        this.log = base.resolve("hsi.log");
        this.control = base.resolve("control.json");
        this.stagingRoot = Files.createDirectories(base.resolve("staging"));
        Files.writeString(tapeMap, "");
        Files.writeString(control, "{\"rules\": []}");
        standInEnvironment.put("HSI_STANDIN_ROOT", namespace.toString());
        standInEnvironment.put("HSI_STANDIN_TAPES", tapeMap.toString());
        standInEnvironment.put("HSI_STANDIN_LOG", log.toString());
        standInEnvironment.put("HSI_STANDIN_CONTROL", control.toString());
    }

    /** The stand-in script, made executable in case the checkout lost its mode. */
    static Path executable() {
        Path script = Path.of(System.getProperty("stagehand.hsi.standin", "src/test/hsi/hsi")).toAbsolutePath();
        try {
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return script;
    }

    /**
     * The wrapper next to the stand-in that hands it the command on standard input, as some sites
     * wrap hsi: the stand-in then glues its prompt to the command's output.
     */
    static Path standardInputWrapper() {
        Path wrapper = executable().resolveSibling("hsi-stdin");
        try {
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return wrapper;
    }

    /** Sets a stand-in variable, e.g. {@code HSI_STANDIN_READ_MS}. */
    HsiStandIn set(String name, String value) {
        standInEnvironment.put(name, value);
        return this;
    }

    /** Puts a file on tape: location relative to the archive root. */
    HsiStandIn onTape(String location, String content, String volume, long position, long offset) throws IOException {
        write(location, content);
        Files.writeString(tapeMap, hpssPath(location) + " " + volume + " " + position + " " + offset + "\n", StandardOpenOption.APPEND);
        return this;
    }

    /** Puts a file on HPSS's disk cache. */
    HsiStandIn onDisk(String location, String content) throws IOException {
        write(location, content);
        return this;
    }

    private void write(String location, String content) throws IOException {
        Path file = namespace.resolve(hpssPath(location).substring(1));
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    static String hpssPath(String location) {
        return ARCHIVE_ROOT + "/" + location;
    }

    /** Makes the next {@code times} calls of {@code command} ({@code get} or {@code ls}) on the path misbehave. */
    HsiStandIn failNext(String command, String location, String action, int times) throws IOException {
        String pathRule = location == null ? "" : ", \"path\": \"" + hpssPath(location) + "\"";
        rules.add("{\"command\": \"" + command + "\"" + pathRule + ", \"action\": \"" + action + "\", \"times\": " + times + "}");
        Files.writeString(control, "{\"rules\": [" + String.join(", ", rules) + "]}");
        return this;
    }

    /** Where the factory's backend writes its command files. */
    Path commandDirectory() {
        return base.resolve("commands");
    }

    /** Starts the stand-in on its own, as a service process would have: {@code hsi -q "in <commandFile>"}. */
    Process startSession(Path commandFile) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(executable().toString(), "-q", "in " + commandFile)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(standInEnvironment);
        return builder.start();
    }

    /** The staging area's directory. */
    Path stagingRoot() {
        return stagingRoot;
    }

    /** A factory with test-sized timings; tests adjust it further. */
    HpssBackendFactory factory() {
        HpssBackendFactory factory = new HpssBackendFactory();
        factory.setHsiPath(executable().toString());
        factory.setArchiveRoot(ARCHIVE_ROOT);
        factory.setEnvironment(new HashMap<>(standInEnvironment));
        factory.setBatchWindow(Duration.milliseconds(150));
        factory.setListTimeout(Duration.seconds(10));
        factory.setFetchIdleTimeout(Duration.seconds(10));
        factory.setProgressPollInterval(Duration.milliseconds(10));
        factory.setCommandDirectory(commandDirectory().toString());
        return factory;
    }

    /** Builds the factory's backend, with the stand-in's variables current at this moment. */
    ArchiveBackend build(HpssBackendFactory factory) throws IOException {
        return build(factory, Map.of());
    }

    /** Builds as if the service's environment also held {@code serviceVariables}. */
    ArchiveBackend build(HpssBackendFactory factory, Map<String, String> serviceVariables) throws IOException {
        Map<String, String> environment = new HashMap<>(factory.getEnvironment());
        environment.putAll(standInEnvironment);
        factory.setEnvironment(environment);
        Map<String, String> serviceEnvironment = new HashMap<>(System.getenv());
        serviceEnvironment.putAll(serviceVariables);
        return factory.build(new BackendContext("test", stagingRoot, new MetricRegistry(), new ObjectMapper(),
                reportedMounts::add), serviceEnvironment);
    }

    /** The volumes the backends built here told the service they mounted, in the order told. */
    List<String> reportedMounts() {
        return List.copyOf(reportedMounts);
    }

    /** A staging item for a location, with a fresh temporary file name in the staging area. */
    StagingItem item(String location) {
        int number = ++itemNumber;
        return StagingItems.item("file-" + number + "-" + location.replace('/', '_')).location(location)
                .stagingPath("staged/" + location).temporaryFile(stagingRoot.resolve(".tmp-" + number)).build();
    }

    /** Everything the stand-in logged, parsed. */
    List<Event> events() throws IOException {
        if (!Files.exists(log)) {
            return List.of();
        }
        List<Event> events = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            String[] fields = line.split(" ", 4);
            events.add(new Event(Long.parseLong(fields[0]), Long.parseLong(fields[1]), fields[2], fields.length > 3 ? fields[3] : ""));
        }
        return events;
    }

    List<Event> events(String kind) throws IOException {
        return events().stream().filter(event -> event.kind().equals(kind)).toList();
    }

    /**
     * One stand-in log line.
     *
     * @param epochMillis when
     * @param pid which hsi process
     * @param kind START, LIST, MOUNT, LOCATE, READ, DISKREAD, ERROR, HANG or EXIT
     * @param detail the rest of the line
     */
    record Event(long epochMillis, long pid, String kind, String detail) {

        String field(int index) {
            return detail.split(" ")[index];
        }

        /** For READ: the HPSS path. */
        String readPath() {
            return kind.equals("READ") ? detail.split(" ", 4)[3] : detail.split(" ", 2)[1];
        }
    }
}
