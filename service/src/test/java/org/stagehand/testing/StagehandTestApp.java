package org.stagehand.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.Application;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.stagehand.app.StagehandApplication;
import org.stagehand.app.StagehandConfiguration;
import org.stagehand.work.FreezePoints;

/**
 * The whole application on random ports, started from {@code it-config.yml} with overrides, and a
 * plain HTTP client to talk to it the way the DTS does.
 */
public final class StagehandTestApp {

    private final DropwizardTestSupport<StagehandConfiguration> support;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper mapper = new ObjectMapper();

    public StagehandTestApp(List<ConfigOverride> overrides) {
        this("it-config.yml", overrides);
    }

    /** Starts from another configuration in the test resources, e.g. one with a different backend section. */
    public StagehandTestApp(String configResource, List<ConfigOverride> overrides) {
        this(configResource, overrides, FreezePoints.NONE);
    }

    /** An app whose work threads stop where {@code freezePoints} holds them, to act out a frozen instance. */
    public StagehandTestApp(List<ConfigOverride> overrides, FreezePoints freezePoints) {
        this("it-config.yml", overrides, freezePoints);
    }

    private StagehandTestApp(String configResource, List<ConfigOverride> overrides, FreezePoints freezePoints) {
        this.support = new DropwizardTestSupport<>(StagehandApplication.class,
                ResourceHelpers.resourceFilePath(configResource), overrides.toArray(ConfigOverride[]::new)) {
            @Override
            public Application<StagehandConfiguration> newApplication() {
                return new StagehandApplication(freezePoints);
            }
        };
    }

    /** Starts from a configuration file the test wrote, read the way {@code server config.yml} reads it. */
    public StagehandTestApp(Path configFile, List<ConfigOverride> overrides) {
        this.support = new DropwizardTestSupport<>(StagehandApplication.class,
                configFile.toAbsolutePath().toString(), overrides.toArray(ConfigOverride[]::new));
    }

    /** Overrides common to every test app: database, staging root, archive root and catalog. */
    public static List<ConfigOverride> overrides(TestDatabase database, Path stagingRoot, Path archiveRoot,
                                                 Path catalog, ConfigOverride... more) {
        List<ConfigOverride> overrides = new ArrayList<>(database.overrides());
        overrides.add(ConfigOverride.config("staging.root", stagingRoot.toString()));
        overrides.add(ConfigOverride.config("backend.root", archiveRoot.toString()));
        overrides.add(ConfigOverride.config("catalog.importAtStartup", catalog.toString()));
        overrides.addAll(List.of(more));
        return overrides;
    }

    public StagehandTestApp start() throws Exception {
        support.before();
        return this;
    }

    public void stop() {
        support.after();
    }

    /** The application port, for clients other than this one's. */
    public int port() {
        return support.getLocalPort();
    }

    /** The admin port, for raw clients. */
    public int adminPort() {
        return support.getAdminPort();
    }

    public StagehandConfiguration configuration() {
        return support.getConfiguration();
    }

    /** The app's metric registry, e.g. to count the files it moved into place. */
    public MetricRegistry metrics() {
        return support.getEnvironment().metrics();
    }

    /** A response: status, body text, and the body as JSON when it is JSON. */
    public record Reply(int status, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    public Reply post(String path, String contentType, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** POSTs {@code {"ids": [...]}} to the staging endpoint. */
    public Reply requestStaging(String... ids) {
        try {
            return post("/dts/staging", "application/json",
                    mapper.writeValueAsString(mapper.createObjectNode().set("ids", mapper.valueToTree(ids))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Reply get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    /** Sends a request built by the caller against the application port, e.g. with extra headers. */
    public Reply send(HttpRequest.Builder request, String path) {
        return send(request.uri(uri(path)).build());
    }

    /** Sends a request built by the caller and keeps the body as bytes. */
    public HttpResponse<byte[]> sendForBytes(HttpRequest.Builder request, String path) {
        try {
            return http.send(request.uri(uri(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET on the admin port. */
    public Reply getAdmin(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + support.getAdminPort() + path)).GET().build());
    }

    /** Runs an admin task: {@code POST /tasks/<name>?<query>} on the admin port. */
    public Reply runTask(String nameAndQuery) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + support.getAdminPort() + "/tasks/" + nameAndQuery))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** Polls the DTS status form until the request's status is {@code wanted}; returns the last answer. */
    public JsonNode awaitStatus(String requestId, String wanted, Duration timeout) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> {
            Reply reply = get("/dts/staging?id=" + requestId);
            last[0] = reply.json();
            return reply.status() == 200 && wanted.equals(last[0].get("status").asText());
        });
        return last[0];
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + support.getLocalPort() + path);
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Temporary files left anywhere below {@code root}. */
    public static List<Path> temporaryFilesBelow(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".stagehand-part")).toList();
        }
    }
}
