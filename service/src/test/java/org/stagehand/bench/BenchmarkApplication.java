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
