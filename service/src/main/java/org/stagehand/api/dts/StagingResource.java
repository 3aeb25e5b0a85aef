package org.stagehand.api.dts;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import org.stagehand.api.PublicUrls;
import org.stagehand.http.ApiException;
import org.stagehand.requests.RequestIds;
import org.stagehand.requests.RequestIntake;
import org.stagehand.requests.RequestOperations;
import org.stagehand.requests.RequestStatusReader;

/** The DTS staging contract: {@code POST /dts/staging} and its status, by query or by path. */
@Path("/dts/staging")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class StagingResource {

    private static final int DEFAULT_PAGE = 100;
    private static final int MAX_PAGE = 1000;

    private final RequestIntake intake;
    private final RequestStatusReader reader;
    private final RequestOperations operations;
    private final MetricRegistry metrics;
    private final PublicUrls urls;

    public StagingResource(RequestIntake intake, RequestStatusReader reader, RequestOperations operations,
                           PublicUrls urls, MetricRegistry metrics) {
        this.intake = intake;
        this.reader = reader;
        this.operations = operations;
        this.urls = urls;
        this.metrics = metrics;
        metrics.meter("stagehand.requests.accepted");
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response stage(JsonNode body, @Context UriInfo uriInfo) {
        // Refusals are counted by StagingRefusalCounter, which also sees those made before this runs.
        StagingAccepted accepted = new StagingAccepted(intake.submit(body));
        metrics.meter("stagehand.requests.accepted").mark();
        return Response.created(urls.of(uriInfo, "dts", "staging", accepted.requestId().toString()))
                .entity(accepted)
                .build();
    }

    /** The DTS's form: {@code GET /dts/staging?id=<uuid>}. */
    @GET
    public DtsStatus statusByQuery(@QueryParam("id") String id) {
        if (id == null || id.isBlank()) {
            throw ApiException.badRequest("the query parameter 'id' (a request UUID) is required");
        }
        return status(id);
    }

    @GET
    @Path("{id}")
    public DtsStatus statusByPath(@PathParam("id") String id) {
        return status(id);
    }

    /** Releases the request's copies before their pin lifetime ends; idempotent. */
    @DELETE
    @Path("{id}")
    public Response release(@PathParam("id") String id) {
        operations.release(parseUuid(id));
        return Response.noContent().build();
    }

    /** The request's files, a page at a time in ID order: {@code ?limit=100&after=<last id of the previous page>}. */
    @GET
    @Path("{id}/files")
    public DtsFilePage files(@PathParam("id") String id, @QueryParam("after") String after,
                             @QueryParam("limit") String limit) {
        UUID requestId = parseUuid(id);
        int pageSize = parseLimit(limit);
        return reader.files(requestId, after, pageSize).map(DtsFilePage::of)
                .orElseThrow(() -> ApiException.notFound("no staging request " + requestId));
    }

    static int parseLimit(String limit) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_PAGE;
        }
        try {
            int value = Integer.parseInt(limit.trim());
            if (value >= 1 && value <= MAX_PAGE) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("'limit' must be a whole number from 1 to " + MAX_PAGE);
    }

    private DtsStatus status(String id) {
        UUID requestId = parseUuid(id);
        return reader.status(requestId).map(DtsStatus::of)
                .orElseThrow(() -> ApiException.notFound("no staging request " + requestId));
    }

    static UUID parseUuid(String id) {
        try {
            return RequestIds.parse(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
