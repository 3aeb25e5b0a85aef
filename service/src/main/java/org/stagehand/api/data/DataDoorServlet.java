package org.stagehand.api.data;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.api.ArchivePaths;
import org.stagehand.requests.PathRequests.StagedCopy;
import org.stagehand.requests.PathRequests;

/**
 * Read-only HTTP access to verified staged copies under {@code tapeRest.pathPrefix}: {@code GET}
 * (one {@code Range}), {@code HEAD} and {@code PROPFIND} of the file itself, with an RFC 3230
 * {@code Digest} when {@code Want-Digest} asks for adler32 or md5. Only a copy the engine staged
 * and verified is served, and only at its real place below the staging root: a link on the way that
 * leads out of the root, or anything else standing at a file's place, answers 404.
 */
public final class DataDoorServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DataDoorServlet.class);

    private final transient PathRequests requests;
    private final transient ArchivePaths paths;
    private final transient DataDoorAccess access;
    private final transient Path realRoot;
    /** About 200 bytes an entry: a few MB for the digests of the copies a site serves in a day. */
    private final transient DigestCache digests = new DigestCache(10_000);

    /**
     * @param stagingRoot the staging root; copies are served only if their real place is below its real place
     * @param access who may read which path
     */
    public DataDoorServlet(PathRequests requests, ArchivePaths paths, Path stagingRoot, DataDoorAccess access) throws IOException {
        this.requests = requests;
        this.paths = paths;
        this.access = access;
        this.realRoot = stagingRoot.toRealPath();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        boolean body = method.equals("GET");
        if (!body && !method.equals("HEAD") && !method.equals("PROPFIND")) {
            response.setHeader("Allow", "GET, HEAD, PROPFIND");
            error(response, 405, "the data door is read-only: GET, HEAD and PROPFIND");
            return;
        }
        String name = ArchivePaths.collapse(request.getRequestURI());
        ArchivePaths.Mapped mapped = paths.map(name);
        Optional<DataDoorAccess.Refusal> refusal = access.refusal(request.getHeader("Authorization"), mapped.stagingPath());
        if (refusal.isPresent()) {
            if (refusal.get().status() == 401) {
                response.setHeader("WWW-Authenticate", "Bearer realm=\"stagehand\"");
            }
            error(response, refusal.get().status(), refusal.get().message());
            return;
        }
        Optional<StagedCopy> copy = mapped.stagingPath() == null ? Optional.empty() : requests.verifiedCopy(mapped.stagingPath());
        Optional<Path> file = copy.flatMap(this::realPlace);
        if (file.isEmpty()) {
            error(response, 404, "no staged copy of " + name + " (stage it through the Tape REST API first)");
            return;
        }
        long size = Files.size(file.get());
        String lastModified = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Files.getLastModifiedTime(file.get()).toInstant().atOffset(ZoneOffset.UTC));
        if (method.equals("PROPFIND")) {
            propfind(response, name, size, lastModified);
            return;
        }
        response.setHeader("Accept-Ranges", "bytes");
        response.setHeader("Last-Modified", lastModified);
        Optional<String> algorithm = WantDigest.choose(request.getHeader("Want-Digest"));
        if (algorithm.isPresent()) {
            response.setHeader("Digest", digests.digest(algorithm.get(), file.get(), copy.get().entry().checksum()));
        }
        ByteRange range = ByteRange.parse(request.getHeader("Range"), size);
        if (range == ByteRange.UNSATISFIABLE) {
            response.setHeader("Content-Range", "bytes */" + size);
            error(response, 416, "the range is outside the file's " + size + " bytes");
            return;
        }
        response.setContentType("application/octet-stream");
        if (range != null) {
            response.setStatus(206);
            response.setHeader("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + size);
        }
        long start = range == null ? 0 : range.first();
        long length = range == null ? size : range.length();
        response.setContentLengthLong(length);
        if (body) {
            send(file.get(), start, length, response.getOutputStream());
        }
    }

    /** The copy's real place, if it is a regular file below the real staging root. */
    private Optional<Path> realPlace(StagedCopy copy) {
        try {
            Path real = copy.file().toRealPath();
            if (real.startsWith(realRoot) && Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(real);
            }
            LOG.warn("not serving {}: its real place is not a file below the staging root", copy.entry().stagingPath());
        } catch (IOException e) {
            LOG.debug("staged copy {} is gone: {}", copy.entry().stagingPath(), e.toString());
        }
        return Optional.empty();
    }

    private static void send(Path file, long start, long length, OutputStream out) throws IOException {
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(start);
            long left = length;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
                left -= n;
            }
        }
    }

    private static void propfind(HttpServletResponse response, String name, long size, String lastModified) throws IOException {
        String xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:multistatus xmlns:d=\"DAV:\"><d:response><d:href>"
                + xmlEscape(name) + "</d:href><d:propstat><d:prop><d:resourcetype/><d:getcontentlength>" + size
                + "</d:getcontentlength><d:getlastmodified>" + lastModified
                + "</d:getlastmodified></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>\n";
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        response.setStatus(207);
        response.setContentType("application/xml; charset=utf-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private static String xmlEscape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void error(HttpServletResponse response, int status, String message) throws IOException {
        byte[] bytes = ("{\"code\":" + status + ",\"message\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\"}").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
