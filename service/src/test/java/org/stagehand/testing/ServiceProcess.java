package org.stagehand.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The built service, {@code target/stagehand.jar}, run as a separate process with a generated
 * configuration, so that tests can kill it the hard way ({@code kill -9}) and start it again.
 * Its output goes to {@code <directory>/service.log}, appended across restarts.
 */
public final class ServiceProcess {

    /** Where Maven's {@code package} phase leaves the runnable jar; failsafe runs in the module directory. */
    public static final Path JAR = Path.of("target", "stagehand.jar");

    private final Path config;
    private final Path log;
    private final int port;
    private final List<String> jvmOptions;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    private ServiceProcess(Path config, Path log, int port, List<String> jvmOptions) {
        this.config = config;
        this.log = log;
        this.port = port;
        this.jvmOptions = jvmOptions;
    }

    /**
     * Writes a configuration below {@code directory}: H2 in a file there, the staging area there,
     * the POSIX backend over {@code archive}, the catalog imported at start-up, free loopback ports.
     *
     * @param workSection the {@code work:} section's body, indented by four spaces per line
     */
    public static ServiceProcess h2(Path directory, Path archive, Path catalog, String workSection,
                                    String... jvmOptions) throws IOException {
        int port = freePort();
        int adminPort = freePort();
        String yaml = String.join("\n",
                "server:",
                "  applicationConnectors:",
                "    - {type: http, bindHost: 127.0.0.1, port: " + port + "}",
                "  adminConnectors:",
                "    - {type: http, bindHost: 127.0.0.1, port: " + adminPort + "}",
                "  requestLog: {appenders: []}",
                "database:",
                "  driverClass: org.h2.Driver",
                "  url: \"jdbc:h2:file:" + directory.resolve("db/stagehand").toAbsolutePath() + ";MODE=PostgreSQL\"",
                "  user: sa",
                "  password: \"\"",
                "autoMigrate: true",
                "staging:",
                "  root: \"" + directory.resolve("staging").toAbsolutePath() + "\"",
                "  createRoot: true",
                "  maxFilesPerRequest: 1000",
                "  minFreeSpace: 1MiB",
                "catalog:",
                "  importAtStartup: \"" + catalog.toAbsolutePath() + "\"",
                "auth:",
                "  tokensEnvironmentVariable: STAGEHAND_TEST_TOKENS_UNSET",
                "work:",
                workSection,
                "backend:",
                "  type: posix",
                "  root: \"" + archive.toAbsolutePath() + "\"",
                "logging:",
                "  level: WARN",
                "  loggers:",
                "    org.stagehand: INFO",
                "");
        Path config = directory.resolve("service.yml");
        Files.writeString(config, yaml);
        return new ServiceProcess(config, directory.resolve("service.log"), port, List.of(jvmOptions));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Starts the service and waits until it answers HTTP. */
    public ServiceProcess start(Duration timeout) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the tests through"
                    + " 'mvn verify', which packages the jar before the integration tests");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toAbsolutePath().toString(), "server", config.toString()));
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + ":\n" + logTail());
            }
            return answers();
        });
        return this;
    }

    private boolean answers() {
        try {
            get("/dts/staging/00000000-0000-0000-0000-000000000000");
            return true;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /** Kills the process with SIGKILL, as {@code kill -9} does, and waits for it to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the service survived SIGKILL for 30 s");
        }
    }

    /** Stops the process politely (SIGTERM), or by force after 30 s; does nothing if it is not running. */
    public void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The last lines of the service's output, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    public StagehandTestApp.Reply get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    public StagehandTestApp.Reply post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private StagehandTestApp.Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new StagehandTestApp.Reply(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
