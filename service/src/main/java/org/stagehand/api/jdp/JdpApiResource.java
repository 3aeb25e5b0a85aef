package org.stagehand.api.jdp;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.stagehand.catalog.CatalogEntry;
import org.stagehand.http.ApiException;
import org.stagehand.requests.JdpRequestIds;
import org.stagehand.requests.LastKnownAnswers.DatabaseUnreachable;
import org.stagehand.requests.RequestIntake;
import org.stagehand.requests.RequestStatus;
import org.stagehand.requests.RequestStatusReader;
import org.stagehand.requests.StagingStatus;

/**
 * The JDP-compatible door: the three calls of the DTS's JGI Data Portal client, at the root of the
 * API port, on the same requests and work as {@code /dts/staging}. It holds no rules: the engine
 * validates, stores and answers; this door speaks the JDP's words.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class JdpApiResource {

    private static final String UNREACHABLE = "the database cannot be reached: this is the last state known"
            + " to this instance, read at as_of; it may lag, it never runs ahead";
    private static final String UNKNOWN = "the database cannot be reached and this instance has not seen this"
            + " request yet: 'new' claims only that it was accepted; ask again later";

    private final RequestIntake intake;
    private final RequestStatusReader reader;
    private final JdpRequestIds ids;
    private final JdpCredentials credentials;
    private final JdpApiConfiguration config;
    private final Meter accepted;
    private final Meter unfinishablePolls;

    JdpApiResource(RequestIntake intake, RequestStatusReader reader, JdpRequestIds ids,
                   JdpCredentials credentials, JdpApiConfiguration config, MetricRegistry metrics) {
        this.intake = intake;
        this.reader = reader;
        this.ids = ids;
        this.credentials = credentials;
        this.config = config;
        this.accepted = metrics.meter("stagehand.jdp-api.requests-accepted");
        // The DTS cannot be told that staging failed: it polls such a request until delete_after.
        this.unfinishablePolls = metrics.meter("stagehand.jdp-api.failed-or-cancelled-polls");
    }

    /** The DTS's descriptors: the catalog entries of the IDs asked for, unknown ones left out. */
    @POST
    @Path("search/by_file_ids{slash: /?}")
    @Consumes(MediaType.APPLICATION_JSON)
    public JdpSearchAnswer search(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, JsonNode body) {
        credentials.orcidOf(authorization);
        List<JdpSearchAnswer.File> files = intake.describe(body).stream().map(this::describe).toList();
        return new JdpSearchAnswer(files.isEmpty() ? List.of()
                : List.of(new JdpSearchAnswer.Organism("stagehand", "stagehand", "Files restored by Stagehand", files)));
    }

    /** The DTS's StageFiles: stores the request, answers 201 with its integer ID. */
    @POST
    @Path("request_archived_files{slash: /?}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response restore(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, JsonNode body) {
        String orcid = credentials.orcidOf(authorization);
        if (body != null && body.path("ids").isArray() && body.get("ids").isEmpty()) {
            throw ApiException.badRequest("'ids' is empty: no file to restore. The DTS sends only the IDs that"
                    + " start with 'JDP:' and drops the others, so a transfer of IDs without that prefix arrives empty");
        }
        JdpRequestIds.Accepted stored = ids.submit(body, orcid);
        accepted.mark();
        return Response.status(Response.Status.CREATED)
                .entity(new JdpRestoreAccepted(stored.jdpRequestId(), stored.requestId()))
                .build();
    }

    /** The DTS's StagingStatus; no credential (the DTS sends none). */
    @GET
    @Path("request_archived_files/requests/{n}")
    public JdpRequestStatus status(@PathParam("n") String n) {
        long id = parseId(n);
        UUID requestId;
        StagingStatus status;
        try {
            requestId = ids.requestOf(id).orElseThrow(() -> notFound(n));
        } catch (DatabaseUnreachable e) {
            return new JdpRequestStatus("new", id, null, null, null, null, UNKNOWN);
        }
        try {
            status = reader.status(requestId).orElseThrow(() -> notFound(n));
        } catch (DatabaseUnreachable e) {
            return new JdpRequestStatus("new", id, requestId, null, null, null, UNKNOWN);
        }
        if (status.status() == RequestStatus.FAILED || status.status() == RequestStatus.CANCELLED) {
            unfinishablePolls.mark();
        }
        return new JdpRequestStatus(word(status), id, requestId, status.files(), status.errors(), status.asOf(),
                status.asOf() == null ? null : UNREACHABLE, status.estimatedReadyAt());
    }

    /**
     * The JDP's word for a status: {@code new} until a file has started (copying or settled),
     * {@code pending} while files are to come, then {@code ready}; {@code failed} and
     * {@code cancelled} are words the DTS does not know, which it logs and polls again.
     */
    static String word(StagingStatus status) {
        return switch (status.status()) {
            case WAITING -> status.files().ready() + status.files().failed() + status.files().copying() == 0
                    ? "new" : "pending";
            case READY -> "ready";
            case FAILED -> "failed";
            case CANCELLED -> "cancelled";
        };
    }

    private JdpSearchAnswer.File describe(CatalogEntry entry) {
        String path = entry.stagingPath().value();
        int slash = path.lastIndexOf('/');
        String directory = slash < 0 ? "" : path.substring(0, slash);
        return new JdpSearchAnswer.File(entry.fileId(), path.substring(slash + 1),
                config.directoryPrefix() + directory,
                entry.bytes().isPresent() ? entry.bytes().getAsLong() : null,
                entry.checksum().filter(checksum -> "md5".equals(checksum.algorithm())).map(checksum -> checksum.hex())
                        .orElse(""));
    }

    private static long parseId(String n) {
        try {
            long id = Long.parseLong(n);
            if (id >= 1 && id <= JdpRequestIds.MAX_ID) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw notFound(n);
    }

    private static ApiException notFound(String n) {
        return ApiException.notFound("no JDP request " + (n.length() > 24 ? n.substring(0, 24) + "…" : n));
    }

    /** Builds the door, or refuses to start when no secret is configured. */
    public static JdpApiResource create(RequestIntake intake, RequestStatusReader reader, JdpRequestIds ids,
                                        JdpApiConfiguration config, MetricRegistry metrics) {
        return new JdpApiResource(intake, reader, ids, JdpCredentials.from(config, System.getenv()), config, metrics);
    }
}
