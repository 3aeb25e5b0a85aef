package org.stagehand.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.core.setup.Environment;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.UUID;
import org.stagehand.app.StagehandApplication;
import org.stagehand.app.StagehandConfiguration;

/**
 * The shipped application plus a no-op resource, the baseline of the HTTP benchmark: the same
 * Jetty, Jersey, Jackson, filters and exception mappers, and no database. Lives in test sources
 * only; the shipped jar never has it.
 */
public class BenchmarkApplication extends StagehandApplication {

    public static void main(String[] args) throws Exception {
        new BenchmarkApplication().run(args);
    }

    @Override
    public void run(StagehandConfiguration config, Environment environment) throws Exception {
        super.run(config, environment);
        environment.jersey().register(new NoOpResource());
        environment.jersey().register(new TapeNoOpResource(environment.getObjectMapper()));
    }

    /**
     * The Tape REST benchmark's baseline: stage and poll shaped like {@code /api/v1/stage}, body for
     * body, without a database. The poll builds an answer of {@code files} files (paths as the
     * benchmark names them) the way the door does, from records through Jackson.
     */
    @Path("/bench/noop/stage")
    @Produces(MediaType.APPLICATION_JSON)
    public static class TapeNoOpResource {

        /** How the benchmark names its files: {@code String.format(PATH_FORMAT, i % 1000, i)}. */
        public static final String PATH_FORMAT = "/archive/tape/%03d/%07d.bin";

        private final com.fasterxml.jackson.databind.ObjectMapper json;

        TapeNoOpResource(com.fasterxml.jackson.databind.ObjectMapper json) {
            this.json = json;
        }

        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        record Status(String id, Long createdAt, Long startedAt, Long completedAt, java.util.List<File> files) {
        }

        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        record File(String path, String state, boolean onDisk, String error, Long finishedAt) {
        }

        /** Reads the body as the door does (a string, then a tree) and answers 201 with a fresh request ID. */
        @POST
        @Consumes(MediaType.WILDCARD)
        public Response stage(String body) throws java.io.IOException {
            JsonNode files = json.readTree(body).path("files");
            String id = UUID.randomUUID().toString();
            return Response.status(201).header("Location", "/bench/noop/stage/" + id)
                    .entity(Map.of("requestId", files.isMissingNode() ? "" : id)).build();
        }

        /**
         * The paths of a poll of {@code files} files, formatted once: the door names its files from
         * memory too, and 1,000 {@code String.format} calls a poll cost more than the answer's JSON.
         */
        private final Map<Integer, java.util.List<String>> pathsByCount = new java.util.concurrent.ConcurrentHashMap<>();

        @GET
        @Path("{id}")
        public Status poll(@jakarta.ws.rs.PathParam("id") String id, @QueryParam("files") int count) {
            java.util.List<String> paths = pathsByCount.computeIfAbsent(count, n -> java.util.stream.IntStream.range(0, n)
                    .mapToObj(i -> String.format(java.util.Locale.ROOT, PATH_FORMAT, i % 1000, i)).toList());
            java.util.List<File> files = new java.util.ArrayList<>(count);
            for (String path : paths) {
                files.add(new File(path, "SUBMITTED", false, null, null));
            }
            long now = java.time.Instant.now().getEpochSecond();
            return new Status(id, now, now, null, files);
        }
    }

    /** Answers like the staging endpoints, shape for shape, without doing anything. */
    @Path("/bench/noop")
    @Produces(MediaType.APPLICATION_JSON)
    public static class NoOpResource {

        /** Parses the body like {@code POST /dts/staging} and answers 201 with a fresh UUID. */
        @POST
        @Consumes(MediaType.APPLICATION_JSON)
        public Response post(JsonNode body) {
            int ids = body != null && body.has("ids") ? body.get("ids").size() : 0;
            return Response.status(201).entity(Map.of("request_id", UUID.randomUUID().toString(), "ids", ids)).build();
        }

        @GET
        public Map<String, Object> get(@QueryParam("id") String id) {
            return Map.of("request_id", String.valueOf(id), "status", "ready",
                    "files", Map.of("total", 10, "ready", 10, "staging", 0, "failed", 0));
        }
    }
}
