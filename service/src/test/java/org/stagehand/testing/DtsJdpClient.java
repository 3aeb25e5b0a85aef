package org.stagehand.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * The KBase DTS's JGI Data Portal client, byte for byte as Go's {@code net/http} sends it (see
 * {@code dts-jdp-client.md}): the paths with their trailing slashes, {@code Host}, {@code User-Agent},
 * {@code Content-Length}, the {@code Token} credential and {@code Content-Type} on POSTs, no
 * {@code Accept}, {@code Accept-Encoding: gzip} (decoded as Go's transport does), and the JSON bodies
 * as Go's {@code encoding/json} writes the client's structs.
 */
public final class DtsJdpClient {

    /** An answer: status, head, and the body decoded (and parsed, when it is JSON). */
    public record Answer(int status, String head, String body) {
        public JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private final int port;
    private final String authorization;

    /** A client sending {@code Authorization: Token <orcid>_<secret>}. */
    public DtsJdpClient(int port, String orcid, String secret) {
        this(port, "Token " + orcid + "_" + secret);
    }

    private DtsJdpClient(int port, String authorization) {
        this.port = port;
        this.authorization = authorization;
    }

    /** The same client with another {@code Authorization} value, or none (null). */
    public DtsJdpClient withAuthorization(String authorization) {
        return new DtsJdpClient(port, authorization);
    }

    /** Descriptors: {@code POST /search/by_file_ids/}. */
    public Answer search(List<String> ids) {
        return post("/search/by_file_ids/", "{\"ids\":" + array(ids) + ",\"aggregations\":true,\"include_private_data\":1}");
    }

    /** StageFiles: {@code POST /request_archived_files/}. */
    public Answer stage(List<String> ids) {
        return post("/request_archived_files/",
                "{\"ids\":" + array(ids) + ",\"send_email\":false,\"api_version\":\"2\",\"include_private_data\":1}");
    }

    /** StagingStatus: {@code GET /request_archived_files/requests/<id>}, with no credential. */
    public Answer status(String id) {
        return exchange("GET /request_archived_files/requests/" + id + " HTTP/1.1\r\n"
                + "Host: localhost:" + port + "\r\n"
                + "User-Agent: Go-http-client/1.1\r\n"
                + "Accept-Encoding: gzip\r\n"
                + "\r\n");
    }

    /** A POST as the client sends it, to any path, with any JSON body. */
    public Answer post(String path, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return exchange("POST " + path + " HTTP/1.1\r\n"
                + "Host: localhost:" + port + "\r\n"
                + "User-Agent: Go-http-client/1.1\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Content-Type: application/json\r\n"
                + "Accept-Encoding: gzip\r\n"
                + "\r\n"
                + new String(body, StandardCharsets.ISO_8859_1));
    }

    private Answer exchange(String request) {
        try {
            RawHttp.BinaryAnswer raw = RawHttp.exchangeBinary(port, request);
            RawHttp.Answer head = new RawHttp.Answer(raw.status(), raw.head(), "");
            byte[] body = raw.body();
            if ("gzip".equalsIgnoreCase(head.header("Content-Encoding"))) {
                try (GZIPInputStream unzipped = new GZIPInputStream(new ByteArrayInputStream(body))) {
                    body = unzipped.readAllBytes();
                }
            }
            return new Answer(raw.status(), raw.head(), new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String array(List<String> ids) {
        return ids.stream().map(id -> "\"" + id + "\"").collect(Collectors.joining(",", "[", "]"));
    }
}
