package org.stagehand.api.tape;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.stagehand.api.ArchivePaths;
import org.stagehand.api.PublicUrls;
import org.stagehand.area.RelativePath;
import org.stagehand.auth.WlcgClient;
import org.stagehand.http.ApiException;
import org.stagehand.requests.Locality;
import org.stagehand.requests.PathRequest;
import org.stagehand.requests.PathRequests;
import org.stagehand.requests.PathStatus;
import org.stagehand.requests.RequestIds;

/**
 * The WLCG Tape REST API v1 ({@code /api/v1/...}) as gfal2 and FTS speak it: stage, poll, cancel,
 * release and archiveinfo of files named by path. A door only: it reads the JSON, names files and
 * answers; the requests, their work, pins and limits are the engine's ({@link PathRequests}).
 * Errors are RFC 7807 problems with a {@code detail}.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class TapeRestResource {

    /** The request ID gfal2 sends to release when it has none. */
    static final String GFAL2_PLACEHOLDER_ID = "gfal2-placeholder-id";
    /** The most paths an archiveinfo answer holds; the rest of a longer list is not answered. */
    static final int MAX_ARCHIVE_INFO_PATHS = 10_000;
    static final String ANONYMOUS = "anonymous";
    private static final String STAGE = "storage.stage";

    private final PathRequests requests;
    private final TapeRestConfiguration config;
    private final ArchivePaths paths;
    private final TapeRequestReader reader;
    private final ObjectMapper mapper;
    private final PublicUrls urls;

    public TapeRestResource(PathRequests requests, TapeRestConfiguration config, PublicUrls urls, ObjectMapper mapper) {
        this.requests = requests;
        this.urls = urls;
        this.config = config;
        this.paths = new ArchivePaths(config.getPathPrefix());
        this.reader = new TapeRequestReader(paths);
        this.mapper = mapper;
    }

    /** Stage: exactly 201 with {@code requestId} and {@code Location}; gfal2 before 2.22.2 adds a slash. */
    @POST
    @Path("{stage: stage/?}")
    @Consumes(MediaType.WILDCARD)
    public Response stage(String body, @Context UriInfo uriInfo, @Context SecurityContext security) {
        return answer(() -> {
            JsonNode json = parse(body);
            List<PathRequest.RequestedPath> files = withinScopes(reader.stageFiles(json), security);
            UUID id = requests.submit(new PathRequest(client(security), reader.pinOf(json), files),
                    config.getMaxFilesPerRequest(), config.getMaxUnfinishedRequestsPerClient());
            return Response.created(urls.of(uriInfo, "api", "v1", "stage", id.toString()))
                    .entity(new TapeJson.StageAccepted(id.toString()))
                    .build();
        });
    }

    @GET
    @Path("stage/{id}")
    public Response poll(@PathParam("id") String id, @Context SecurityContext security) {
        return answer(() -> {
            requireStageScope(security);
            UUID requestId = requestId(id);
            PathStatus status = requests.status(requestId).orElseThrow(() -> noSuchRequest(id));
            return Response.ok(statusOf(status)).build();
        });
    }

    @POST
    @Path("stage/{id}/cancel")
    @Consumes(MediaType.WILDCARD)
    public Response cancel(@PathParam("id") String id, String body, @Context SecurityContext security) {
        return answer(() -> {
            requireStageScope(security);
            List<String> names = reader.pathNames(parse(body));
            UUID requestId = requestId(id);
            try {
                requests.cancel(requestId, names);
            } catch (ApiException e) {
                throw missingPath(e);
            }
            return Response.ok().build();
        });
    }

    /** Cancels what is left of a request and forgets it. */
    @DELETE
    @Path("stage/{id}")
    public Response delete(@PathParam("id") String id, @Context SecurityContext security) {
        return answer(() -> {
            requireStageScope(security);
            requests.forget(requestId(id));
            return Response.ok().build();
        });
    }

    /**
     * Release: 200 for the request's paths, 400 for a path not in it. For gfal2's placeholder ID, or
     * an ID that is no request, the caller's own requests for those paths are released.
     */
    @POST
    @Path("release/{id}")
    @Consumes(MediaType.WILDCARD)
    public Response release(@PathParam("id") String id, String body, @Context SecurityContext security) {
        return answer(() -> {
            requireStageScope(security);
            List<String> names = reader.pathNames(parse(body));
            try {
                requests.releaseOrForClient(parseRequestId(id), client(security), names);
            } catch (ApiException e) {
                throw missingPath(e);
            }
            return Response.ok().build();
        });
    }

    /** Where each path is, in the order asked: a locality, or an error for a path that names no file. */
    @POST
    @Path("{archiveinfo: archiveinfo/?}")
    @Consumes(MediaType.WILDCARD)
    public Response archiveInfo(String body, @Context SecurityContext security) {
        return answer(() -> {
            Optional<WlcgClient> wlcg = wlcgClient(security);
            List<String> names = reader.pathNames(parse(body));
            if (names.size() > MAX_ARCHIVE_INFO_PATHS) {
                names = names.subList(0, MAX_ARCHIVE_INFO_PATHS);
            }
            Map<String, ArchivePaths.Mapped> mapped = new LinkedHashMap<>();
            names.forEach(name -> mapped.put(name, allowedToLocate(wlcg, paths.map(name), name)));
            List<RelativePath> known = mapped.values().stream().filter(m -> m.stagingPath() != null)
                    .map(ArchivePaths.Mapped::stagingPath).distinct().toList();
            Map<RelativePath, Locality> localities = requests.localities(known);
            List<TapeJson.ArchiveInfo> answer = new ArrayList<>(names.size());
            for (String name : names) {
                ArchivePaths.Mapped m = mapped.get(name);
                Locality locality = m.stagingPath() == null ? Locality.UNKNOWN : localities.get(m.stagingPath());
                answer.add(switch (locality) {
                    case UNKNOWN -> new TapeJson.ArchiveInfo(name, null, m.refusal() != null ? m.refusal() : "no such file");
                    case ARCHIVE -> new TapeJson.ArchiveInfo(name, "TAPE", null);
                    case ARCHIVE_AND_STAGED -> new TapeJson.ArchiveInfo(name, "DISK_AND_TAPE", null);
                    case LOST -> new TapeJson.ArchiveInfo(name, "LOST", null);
                    // gfal2 reads UNAVAILABLE as "try again" (EAGAIN), which is what a failed lookup means
                    case ARCHIVE_CANNOT_SAY -> new TapeJson.ArchiveInfo(name, "UNAVAILABLE", null);
                });
            }
            return Response.ok(answer).build();
        });
    }

    private static TapeJson.StageStatus statusOf(PathStatus status) {
        List<TapeJson.FileStatus> files = new ArrayList<>(status.files().size());
        for (PathStatus.PathFile file : status.files()) {
            files.add(new TapeJson.FileStatus(file.name(), stateName(file.state()),
                    file.state() == PathStatus.State.READY, file.error(), seconds(file.finishedAt())));
        }
        return new TapeJson.StageStatus(status.requestId().toString(), seconds(status.createdAt()),
                seconds(status.startedAt()), seconds(status.completedAt()), files);
    }

    private static String stateName(PathStatus.State state) {
        return switch (state) {
            case QUEUED -> "SUBMITTED";
            case STAGING -> "STARTED";
            case READY -> "COMPLETED";
            case FAILED -> "FAILED";
            case CANCELLED -> "CANCELLED";
        };
    }

    private static Long seconds(Instant instant) {
        return instant == null ? null : instant.getEpochSecond();
    }

    /** A WLCG token's paths outside its {@code storage.stage} scopes fail, as unknown paths do. */
    private static List<PathRequest.RequestedPath> withinScopes(List<PathRequest.RequestedPath> files, SecurityContext security) {
        Optional<WlcgClient> wlcg = wlcgClient(security);
        if (wlcg.isEmpty()) {
            return files;
        }
        return files.stream().map(file -> file.stagingPath() == null
                || wlcg.get().allows(STAGE, "/" + file.stagingPath().value()) ? file
                : PathRequest.RequestedPath.refused(file.name(), "the token's scopes do not allow staging " + file.name()))
                .toList();
    }

    /** Polls, cancels and releases need a WLCG token to hold some {@code storage.stage} scope. */
    private static void requireStageScope(SecurityContext security) {
        Optional<WlcgClient> wlcg = wlcgClient(security);
        if (wlcg.isPresent() && !wlcg.get().hasAny(STAGE)) {
            throw new ApiException(403, "the token has no " + STAGE + " scope");
        }
    }

    /** Localities are told for paths a WLCG token may stage, read or poll. */
    private static ArchivePaths.Mapped allowedToLocate(Optional<WlcgClient> wlcg, ArchivePaths.Mapped mapped, String name) {
        if (wlcg.isEmpty() || mapped.stagingPath() == null) {
            return mapped;
        }
        String path = "/" + mapped.stagingPath().value();
        return wlcg.get().allows(STAGE, path) || wlcg.get().allows("storage.read", path) || wlcg.get().allows("storage.poll", path)
                ? mapped : new ArchivePaths.Mapped(null, "the token's scopes do not cover " + name);
    }

    private static Optional<WlcgClient> wlcgClient(SecurityContext security) {
        return security != null && security.getUserPrincipal() instanceof WlcgClient client ? Optional.of(client) : Optional.empty();
    }

    static String client(SecurityContext security) {
        return security == null || security.getUserPrincipal() == null ? ANONYMOUS : security.getUserPrincipal().getName();
    }

    private JsonNode parse(String body) {
        try {
            JsonNode node = body == null || body.isBlank() ? null : mapper.readTree(body);
            if (node == null || !node.isObject()) {
                throw ApiException.badRequest("the body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static UUID requestId(String id) {
        return parseRequestId(id).orElseThrow(() -> noSuchRequest(id));
    }

    private static Optional<UUID> parseRequestId(String id) {
        try {
            return Optional.of(RequestIds.parse(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static ApiException noSuchRequest(String id) {
        return ApiException.notFound("no stage request " + id);
    }

    /** The engine's 400 for a path that is not in the request, with the title the API gives it. */
    private static RuntimeException missingPath(ApiException e) {
        return e.error().code() == 400 ? new Refusal(400, "File missing from stage request", e.error().message()) : e;
    }

    /** A refusal whose problem has its own title. */
    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String title;

        Refusal(int status, String title, String detail) {
            super(detail, null, false, false);
            this.status = status;
            this.title = title;
        }
    }

    /** Runs an endpoint; a refusal is answered as an RFC 7807 problem. */
    private static Response answer(Supplier<Response> endpoint) {
        try {
            return endpoint.get();
        } catch (Refusal e) {
            return problem(e.status, e.title, e.getMessage());
        } catch (ApiException e) {
            Response.Status known = Response.Status.fromStatusCode(e.error().code());
            return problem(e.error().code(), known != null ? known.getReasonPhrase() : "Error", e.error().message());
        }
    }

    static Response problem(int status, String title, String detail) {
        return Response.status(status).type("application/problem+json")
                .entity(new TapeJson.Problem("about:blank", title, status, detail))
                .build();
    }
}
