package org.stagehand.backend.jdp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.UnaryOperator;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.io.EofSensorInputStream;
import org.glassfish.jersey.client.ClientProperties;
import org.glassfish.jersey.message.internal.EntityInputStream;
import org.stagehand.backend.BackendHealth;
import org.stagehand.backend.jdp.UpstreamException.Kind;

/**
 * Speaks the JDP restore API: restore, status and download requests. Turns every upstream error
 * into an {@link UpstreamException} whose message names the resource and status, never the
 * credential.
 */
final class JdpClient implements AutoCloseable {

    /**
     * What the client sends besides the IDs and where its credential goes.
     *
     * @param restoreFields fields of every restore body besides {@code ids}
     * @param redirects which redirects GETs follow
     * @param credentialWithStatus whether status requests carry the Authorization header
     * @param credentialWithHealthCheck whether the health check's request carries it
     */
    record Options(ObjectNode restoreFields, Redirects redirects, boolean credentialWithStatus,
                   boolean credentialWithHealthCheck) {
    }

    private final Client jersey;
    private final CloseableHttpClient apacheClient;
    private final ExecutorService jerseyExecutor;
    private final JdpEndpoints endpoints;
    private final AuthHeader auth;
    private final ObjectMapper mapper;
    private final Options options;
    private final UpstreamErrors errors;

    JdpClient(Client jersey, CloseableHttpClient apacheClient, ExecutorService jerseyExecutor, JdpEndpoints endpoints,
              AuthHeader auth, ObjectMapper mapper, Options options) {
        this.jersey = jersey;
        this.apacheClient = apacheClient;
        this.jerseyExecutor = jerseyExecutor;
        this.endpoints = endpoints;
        this.auth = auth;
        this.mapper = mapper;
        this.options = options;
        this.errors = new UpstreamErrors(auth, mapper);
    }

    /**
     * Asks the upstream to restore {@code fileIds}.
     *
     * @return the upstream request ID; empty when the upstream accepted without one (nothing to wait for)
     */
    Optional<String> restore(List<String> fileIds) throws UpstreamException {
        ObjectNode body = mapper.createObjectNode();
        body.putArray("ids").addAll(fileIds.stream().map(mapper.getNodeFactory()::textNode).toList());
        body.setAll(options.restoreFields().deepCopy());
        URI uri = endpoints.restore();
        String what = "restore request for " + fileIds.size() + " files (POST " + uri + ")";
        Response response = send(what, () -> request(uri).post(Entity.entity(body.toString(), MediaType.APPLICATION_JSON_TYPE)));
        try {
            int status = response.getStatus();
            if (status != 200 && status != 201 && status != 202 && status != 204) {
                throw failure(what, response);
            }
            String text = status == 204 ? "" : readSmallBody(response);
            if (text.isBlank()) {
                return Optional.empty();
            }
            JsonNode requestId = parse(what, text).path("request_id");
            return requestId.isMissingNode() || requestId.isNull() || requestId.asText().isEmpty()
                    ? Optional.empty() : Optional.of(requestId.asText());
        } finally {
            response.close();
        }
    }

    /** The state of upstream restore request {@code requestId}. */
    RestoreStatus status(String requestId) throws UpstreamException {
        URI uri = endpoints.status(requestId);
        String what = "status of restore request " + requestId + " (GET " + uri + ")";
        Response response = get(what, uri, options.credentialWithStatus(), UnaryOperator.identity());
        try {
            if (response.getStatus() != 200) {
                throw failure(what, response);
            }
            JsonNode json = parse(what, readSmallBody(response));
            String status = json.path("status").asText("");
            return new RestoreStatus(RestoreStatus.State.of(status), status, UpstreamErrors.messageOf(json).orElse(""),
                    RestoreStatus.fileStatesOf(json));
        } finally {
            response.close();
        }
    }

    /**
     * Starts downloading {@code fileId}; the caller reads and closes the response.
     *
     * @param offset where to start; 0 for the whole file, else a {@code Range: bytes=offset-} request
     * @param ifRange the validator (ETag or Last-Modified) the partial content must still match, or null
     */
    DownloadResponse openDownload(String fileId, long offset, String ifRange) throws UpstreamException {
        URI uri = endpoints.download(fileId);
        String what = "download of " + fileId + " (GET " + uri + ")";
        return new DownloadResponse(what, get(what, uri, true, builder -> {
            // identity: byte offsets must count stored bytes, not a compressed rendition.
            builder.header("Accept-Encoding", "identity");
            if (offset > 0) {
                builder.header("Range", "bytes=" + offset + "-");
                if (ifRange != null) {
                    builder.header("If-Range", ifRange);
                }
            }
            return builder;
        }));
    }

    /**
     * A GET that follows redirects itself, as {@link Redirects} allows: the credential goes only to
     * the upstream's own origin (and only when {@code credential}), never to another host.
     */
    private Response get(String what, URI uri, boolean credential, UnaryOperator<Invocation.Builder> headers)
            throws UpstreamException {
        return options.redirects().follow(what, uri, target -> send(what, () -> {
            Invocation.Builder builder = jersey.target(target).request()
                    .property(ClientProperties.FOLLOW_REDIRECTS, false);
            if (credential && options.redirects().isUpstream(target)) {
                auth.value().ifPresent(value -> builder.header("Authorization", value));
            }
            return headers.apply(builder).get();
        }));
    }

    /** Whether the upstream answers at all; any answer below 500 counts. */
    BackendHealth probe() {
        URI uri = endpoints.baseUrl();
        boolean credential = options.credentialWithHealthCheck() && auth.value().isPresent();
        try {
            Invocation.Builder builder = jersey.target(uri).request();
            if (credential) {
                auth.value().ifPresent(value -> builder.header("Authorization", value));
            }
            Response response = builder.get();
            try {
                int status = response.getStatus();
                if (status >= 500) {
                    return BackendHealth.unhealthy("upstream " + uri + " answers HTTP " + status);
                }
                // Without a credential a 401 only says the upstream is there.
                if (credential && (status == 401 || status == 407)) {
                    return BackendHealth.unhealthy("upstream " + uri + " refuses the credential (HTTP " + status + ")");
                }
                return BackendHealth.healthy("upstream " + uri + " answers HTTP " + status);
            } finally {
                abort(response);
            }
        } catch (ProcessingException e) {
            return BackendHealth.unhealthy("cannot reach upstream " + uri + ": " + rootCause(e));
        }
    }

    private Invocation.Builder request(URI uri) {
        Invocation.Builder builder = jersey.target(uri).request();
        auth.value().ifPresent(value -> builder.header("Authorization", value));
        return builder;
    }

    private interface Call {
        Response run();
    }

    private static Response send(String what, Call call) throws UpstreamException {
        try {
            return call.run();
        } catch (ProcessingException e) {
            throw new UpstreamException(Kind.TRANSIENT, 0, what + " failed: " + rootCause(e), Optional.empty());
        }
    }

    /** Builds the exception for a non-success answer, with the upstream's own explanation. */
    UpstreamException failure(String what, Response response) {
        InputStream body;
        try {
            body = response.hasEntity() ? response.readEntity(InputStream.class) : null;
        } catch (IllegalStateException | ProcessingException e) {
            body = null;
        }
        return errors.failure(what, response, body);
    }

    private String readSmallBody(Response response) {
        return response.readEntity(String.class);
    }

    private JsonNode parse(String what, String text) throws UpstreamException {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UpstreamException(Kind.TRANSIENT, 200,
                    what + " answered something that is not JSON: " + errors.excerpt(text), Optional.empty());
        }
    }

    static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    /**
     * Ends a response without reading the rest of its body. Closing an Apache response stream
     * would drain it first, which for a large file means downloading what we no longer want.
     */
    static void abort(Response response) {
        try {
            if (response.hasEntity()) {
                abort(response.readEntity(InputStream.class));
            }
        } catch (IllegalStateException | ProcessingException e) {
            // already read or closed: fall through to close()
        }
        try {
            response.close();
        } catch (ProcessingException e) {
            // the connection is gone either way
        }
    }

    /** Aborts the connection under {@code stream}, if it is an Apache entity stream. */
    static void abort(InputStream stream) {
        InputStream raw = stream;
        while (raw instanceof EntityInputStream wrapper) {
            raw = wrapper.getWrappedStream();
        }
        try {
            if (raw instanceof EofSensorInputStream sensor) {
                sensor.abort();
            } else if (raw != null) {
                raw.close();
            }
        } catch (IOException e) {
            // aborting: nothing left to save
        }
    }

    @Override
    public void close() throws IOException {
        try {
            jersey.close();
        } finally {
            jerseyExecutor.shutdownNow();
            if (apacheClient != null) {
                apacheClient.close();
            }
        }
    }

    /** An open download response. Close it when done; a response not read to the end is aborted. */
    final class DownloadResponse implements AutoCloseable {

        private final String what;
        private final Response response;
        private final InputStream body;
        private volatile boolean finished;

        private DownloadResponse(String what, Response response) {
            this.what = what;
            this.response = response;
            // Taken at once so that abort() from a cancelling thread never races a first read.
            this.body = response.hasEntity() ? response.readEntity(InputStream.class) : InputStream.nullInputStream();
        }

        int status() {
            return response.getStatus();
        }

        String header(String name) {
            return response.getHeaderString(name);
        }

        /** Content-Length, or -1. */
        long contentLength() {
            return response.getLength();
        }

        /** The body. */
        InputStream body() {
            return body;
        }

        /** Marks the body as read to the end, so close() may keep the connection for reuse. */
        void finishedReading() {
            finished = true;
        }

        /** The exception for an error answer; reads (a little of) the body. */
        UpstreamException failure() {
            return errors.failure(what, response, body);
        }

        /** Cuts the connection now; safe from another thread. */
        void abort() {
            JdpClient.abort(body);
        }

        @Override
        public void close() {
            if (!finished) {
                abort();
            }
            try {
                response.close();
            } catch (ProcessingException e) {
                // the connection is gone either way
            }
        }
    }
}
