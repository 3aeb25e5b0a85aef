package org.stagehand.backend.jdp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

/**
 * A JDP-style archive on 127.0.0.1 for tests and the benchmark: restore, status and download
 * endpoints at the JDP's default paths, with restore latency, a lifetime after which a restored
 * copy expires, optional Range support, and faults injected per file or per request.
 *
 * <p>As the real JDP does, and never kinder: each file is restored on its own (a request is
 * {@code ready} only when every one of its files is, and its status lists each file's
 * {@code file_status}); a download of a file that is not on disk answers 409 "still on tape"; a
 * restore naming an unknown ID answers 404 with a body listing the unknown IDs; the status and
 * the service root need no credential, restore and download do; a download may redirect to
 * another host; and a status word may be anything ({@link #scriptStatuses}).
 */
public final class FakeJdpArchive implements AutoCloseable {

    /** A fault for the next download request of one file. */
    public sealed interface DownloadFault {
        /** Answer with this status (and Retry-After seconds, when not null) instead of the file. */
        record Status(int code, String retryAfter) implements DownloadFault {
        }

        /** Send the headers for the whole file, then only this many bytes, then cut the connection. */
        record DropAfter(long bytes) implements DownloadFault {
        }

        /** Send the right length with one byte changed. */
        record Corrupt() implements DownloadFault {
        }

        /** Wait this long before answering. */
        record SlowStart(Duration delay) implements DownloadFault {
        }

        /** Send the body at this many bytes a second. */
        record Throttle(long bytesPerSecond) implements DownloadFault {
        }

        /** Answer 302 with this Location (checked before the file's restore state, as a front end would). */
        record Redirect(URI location) implements DownloadFault {
        }
    }

    /** A restore request as received, with its whole JSON body. */
    public record RestoreCall(List<String> ids, boolean sendEmail, String apiVersion, String authorization,
                              JsonNode body) {
    }

    /** A status request or a request for the service root, as received. */
    public record GetCall(String path, String authorization) {
    }

    /** A download request as received. */
    public record DownloadCall(String fileId, String range, String authorization) {
    }

    private record StoredFile(byte[] bytes, Path path, long size) {
    }

    private record UpstreamRequest(List<String> ids, long createdNanos) {
    }


    private static final int WRITE_CHUNK = 1 << 20;
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final ObjectMapper mapper = new ObjectMapper();
    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);
    private final Map<String, StoredFile> files = new ConcurrentHashMap<>();
    private final Map<String, UpstreamRequest> requests = new ConcurrentHashMap<>();
    private final FakeRestores tape = new FakeRestores();
    private final Map<String, Deque<DownloadFault>> downloadFaults = new ConcurrentHashMap<>();
    private final Deque<int[]> restoreFaults = new ConcurrentLinkedDeque<>();
    private final Deque<String> scriptedStatuses = new ConcurrentLinkedDeque<>();
    private final AtomicInteger requestSequence = new AtomicInteger(1000);
    private final AtomicLong bytesServed = new AtomicLong();
    private final List<RestoreCall> restoreCalls = new CopyOnWriteArrayList<>();
    private final List<DownloadCall> downloadCalls = new CopyOnWriteArrayList<>();
    private final List<GetCall> statusCalls = new CopyOnWriteArrayList<>();
    private final List<GetCall> rootCalls = new CopyOnWriteArrayList<>();

    private volatile boolean rangeSupport = true;
    private volatile boolean alwaysOnline;
    private volatile String requiredAuthorization;
    private volatile String statusMessage;
    private volatile boolean perFileStatus = true;
    private volatile boolean unknownIdsInNotFound = true;

    private FakeJdpArchive(String host) {
        connector.setHost(host);
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                serve(request, response, callback);
                return true;
            }
        });
    }

    public static FakeJdpArchive start() throws Exception {
        return start("127.0.0.1");
    }

    /** An archive listening on {@code host}, e.g. 127.0.0.2 for "another host" (all of 127/8 is loopback on Linux). */
    public static FakeJdpArchive start(String host) throws Exception {
        FakeJdpArchive archive = new FakeJdpArchive(host);
        archive.server.start();
        return archive;
    }

    public URI baseUrl() {
        return URI.create("http://" + connector.getHost() + ":" + connector.getLocalPort() + "/");
    }

    public void addFile(String id, byte[] content) {
        files.put(id, new StoredFile(content, null, content.length));
    }

    public void addFile(String id, Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            files.put(id, new StoredFile(null, file, channel.size()));
        }
    }

    /** Time from a restore request to {@code ready}; {@code new} for the first half, then {@code pending}. */
    public void restoreLatency(Duration latency) {
        tape.latency = latency;
    }

    /** This file's own restore latency, overriding {@link #restoreLatency}: part of a request restores later. */
    public void restoreLatency(String fileId, Duration latency) {
        tape.latency(fileId, latency);
    }

    /** This file is never restored (a bad tape): every request holding it stays pending, its downloads answer 409. */
    public void neverRestore(String fileId) {
        restoreLatency(fileId, Duration.ofDays(365));
    }

    /** Whether status answers list each file's {@code file_status} (default true); false: {@code status} only. */
    public void perFileStatus(boolean listed) {
        this.perFileStatus = listed;
    }

    /** Whether a restore's 404 body names the unknown IDs (default true); false: a bare "Not found.". */
    public void unknownIdsInNotFound(boolean named) {
        this.unknownIdsInNotFound = named;
    }

    /** Time a restored copy stays; then the request is {@code expired} and downloads are refused. */
    public void readyLifetime(Duration lifetime) {
        tape.lifetime = lifetime;
    }

    public void rangeSupport(boolean supported) {
        this.rangeSupport = supported;
    }

    /** Every file downloadable without a restore (for the benchmark). */
    public void alwaysOnline(boolean online) {
        this.alwaysOnline = online;
    }

    /** Answer 401 to any request without exactly this Authorization header. */
    public void requireAuthorization(String headerValue) {
        this.requiredAuthorization = headerValue;
    }

    /** A {@code message} field in every status answer. */
    public void statusMessage(String message) {
        this.statusMessage = message;
    }

    /** The next restore request is answered with {@code status} (and Retry-After, if not negative). */
    public void failNextRestore(int status, int retryAfterSeconds) {
        restoreFaults.add(new int[] {status, retryAfterSeconds});
    }

    /** The next status polls answer these states, whatever the clock says, and list no file states. */
    public void scriptStatuses(String... statuses) {
        scriptedStatuses.addAll(List.of(statuses));
    }

    public void injectDownloadFault(String fileId, DownloadFault fault) {
        downloadFaults.computeIfAbsent(fileId, id -> new ConcurrentLinkedDeque<>()).add(fault);
    }

    public List<RestoreCall> restoreCalls() {
        return List.copyOf(restoreCalls);
    }

    public List<DownloadCall> downloadCalls() {
        return List.copyOf(downloadCalls);
    }

    public List<GetCall> statusCalls() {
        return List.copyOf(statusCalls);
    }

    /** Requests for the service root (what a health check asks). */
    public List<GetCall> rootCalls() {
        return List.copyOf(rootCalls);
    }

    /** The number of IDs sent in all restore requests together. */
    public int restoredIdsSent() {
        return restoreCalls.stream().mapToInt(call -> call.ids().size()).sum();
    }

    public long bytesServed() {
        return bytesServed.get();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private void serve(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        String method = request.getMethod();
        if (method.equals("POST") && path.equals("/request_archived_files/")) {
            // Parsed and recorded before the credential check, so tests can see what was sent.
            restore(Content.Source.asString(request, StandardCharsets.UTF_8), authorization, response, callback);
        } else if (method.equals("GET") && path.startsWith("/request_archived_files/requests/")) {
            // Like the JDP's: the status needs no credential (the DTS sends none).
            statusCalls.add(new GetCall(path, authorization));
            status(path.substring("/request_archived_files/requests/".length()), response, callback);
        } else if (method.equals("GET") && path.equals("/")) {
            rootCalls.add(new GetCall(path, authorization));
            json(response, callback, 200, Map.of("service", "fake JDP archive"));
        } else if (!authorized(authorization)) {
            json(response, callback, 401, Map.of("error", "invalid token"));
        } else if (method.equals("GET") && path.startsWith("/download_files/") && path.endsWith("/")) {
            String id = URLDecoder.decode(path.substring("/download_files/".length(), path.length() - 1),
                    StandardCharsets.UTF_8);
            download(id, request, authorization, response, callback);
        } else {
            json(response, callback, 404, Map.of("error", "no such resource " + path));
        }
    }

    private boolean authorized(String authorization) {
        return requiredAuthorization == null || requiredAuthorization.equals(authorization);
    }

    private void restore(String body, String authorization, Response response, Callback callback) throws IOException {
        JsonNode json = mapper.readTree(body);
        List<String> ids = new ArrayList<>();
        json.path("ids").forEach(id -> ids.add(id.asText()));
        restoreCalls.add(new RestoreCall(ids, json.path("send_email").asBoolean(true),
                json.path("api_version").asText(null), authorization, json));
        if (!authorized(authorization)) {
            json(response, callback, 401, Map.of("error", "invalid token"));
            return;
        }
        int[] fault = restoreFaults.poll();
        if (fault != null) {
            if (fault[1] >= 0) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(fault[1]));
            }
            json(response, callback, fault[0], Map.of("error", "restore service unavailable"));
            return;
        }
        List<String> unknown = ids.stream().filter(id -> !files.containsKey(id)).toList();
        if (!unknown.isEmpty()) {
            json(response, callback, 404, unknownIdsInNotFound
                    ? Map.of("error", "unknown file ids: " + String.join(", ", unknown))
                    : Map.of("detail", "Not found."));
            return;
        }
        long now = System.nanoTime();
        tape.restore(ids, now);
        String requestId = Integer.toString(requestSequence.incrementAndGet());
        requests.put(requestId, new UpstreamRequest(List.copyOf(ids), now));
        json(response, callback, 201, Map.of("request_id", Integer.parseInt(requestId)));
    }

    private void status(String requestId, Response response, Callback callback) throws IOException {
        UpstreamRequest upstream = requests.get(requestId);
        if (upstream == null) {
            json(response, callback, 404, Map.of("error", "no request " + requestId));
            return;
        }
        String scripted = scriptedStatuses.poll();
        long now = System.nanoTime();
        String state = scripted != null ? scripted : tape.stateOf(upstream.ids(), upstream.createdNanos(), now);
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("status", state);
        body.put("file_ids", upstream.ids());
        if (perFileStatus && scripted == null) {
            body.put("files", upstream.ids().stream().map(id -> Map.of("_id", id, "file_status", tape.fileStatus(id, now)))
                    .toList());
        }
        if (statusMessage != null) {
            body.put("message", statusMessage);
        }
        json(response, callback, 200, body);
    }

    private boolean isRestored(String fileId) {
        return alwaysOnline || tape.fileStatus(fileId, System.nanoTime()).equals("RESTORED");
    }

    private void download(String id, Request request, String authorization, Response response, Callback callback)
            throws Exception {
        String range = request.getHeaders().get(HttpHeader.RANGE);
        downloadCalls.add(new DownloadCall(id, range, authorization));
        StoredFile file = files.get(id);
        if (file == null) {
            json(response, callback, 404, Map.of("error", "no file " + id));
            return;
        }
        Deque<DownloadFault> faults = downloadFaults.get(id);
        DownloadFault fault = faults == null ? null : faults.poll();
        if (fault instanceof DownloadFault.Status status) {
            if (status.retryAfter() != null) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, status.retryAfter());
            }
            json(response, callback, status.code(), Map.of("error", "injected HTTP " + status.code()));
            return;
        }
        if (fault instanceof DownloadFault.Redirect redirect) {
            response.getHeaders().put(HttpHeader.LOCATION, redirect.location().toString());
            json(response, callback, 302, Map.of("detail", "moved"));
            return;
        }
        if (!isRestored(id)) {
            json(response, callback, 409, Map.of("error", "file " + id + " is still on tape; request a restore first"));
            return;
        }
        if (fault instanceof DownloadFault.SlowStart slow) {
            Thread.sleep(slow.delay().toMillis());
        }
        long from = 0;
        Matcher rangeMatch = range == null ? null : RANGE.matcher(range);
        if (rangeSupport && rangeMatch != null && rangeMatch.matches()
                && Long.parseLong(rangeMatch.group(1)) < file.size()) {
            from = Long.parseLong(rangeMatch.group(1));
            response.setStatus(206);
            response.getHeaders().put(HttpHeader.CONTENT_RANGE,
                    "bytes " + from + "-" + (file.size() - 1) + "/" + file.size());
        } else {
            response.setStatus(200);
        }
        if (rangeSupport) {
            response.getHeaders().put(HttpHeader.ACCEPT_RANGES, "bytes");
            response.getHeaders().put(HttpHeader.ETAG, "\"" + id + "-v1\"");
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, file.size() - from);
        writeBody(file, from, fault, request, response, callback);
    }

    private void writeBody(StoredFile file, long from, DownloadFault fault, Request request, Response response,
                           Callback callback) throws IOException {
        long end = file.size();
        if (fault instanceof DownloadFault.DropAfter drop) {
            end = Math.min(end, from + drop.bytes());
        }
        int chunk = fault instanceof DownloadFault.Throttle ? 16 * 1024 : WRITE_CHUNK;
        long position = from;
        try (FileChannel channel = file.path() == null ? null : FileChannel.open(file.path(), StandardOpenOption.READ)) {
            // One mapping per response; Jetty writes slices of it without copying them.
            ByteBuffer mapped = channel == null ? null : channel.map(FileChannel.MapMode.READ_ONLY, from, end - from);
            while (position < end) {
                int length = (int) Math.min(chunk, end - position);
                ByteBuffer buffer = mapped == null ? ByteBuffer.wrap(file.bytes(), (int) position, length)
                        : mapped.slice((int) (position - from), length);
                if (fault instanceof DownloadFault.Corrupt && position <= file.size() / 2
                        && file.size() / 2 < position + length) {
                    ByteBuffer copy = ByteBuffer.allocate(length).put(buffer).flip();
                    int at = (int) (file.size() / 2 - position);
                    copy.put(at, (byte) (copy.get(at) ^ 0x5a));
                    buffer = copy;
                }
                try (Blocker.Callback blocker = Blocker.callback()) {
                    response.write(false, buffer, blocker);
                    blocker.block();
                } catch (IOException e) {
                    callback.failed(e); // the client went away
                    return;
                }
                position += length;
                bytesServed.addAndGet(length);
                if (fault instanceof DownloadFault.Throttle throttle) {
                    sleep(length * 1000L / throttle.bytesPerSecond());
                }
            }
        }
        if (end < file.size()) {
            // Cut the connection mid-body: the client sees fewer bytes than Content-Length.
            request.getConnectionMetaData().getConnection().getEndPoint().close();
            callback.failed(new IOException("injected connection drop"));
            return;
        }
        response.write(true, ByteBuffer.allocate(0), callback);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void json(Response response, Callback callback, int status, Object body) throws IOException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        Content.Sink.write(response, true, mapper.writeValueAsString(body), callback);
    }
}
