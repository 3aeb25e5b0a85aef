package org.stagehand.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real gfal2 (Debian's {@code python3-gfal2} and {@code gfal2-plugin-http}), driven through
 * its Python binding by {@code src/test/python/gfal2_client.py}. Outside CI a machine without
 * gfal2 skips the tests that need it; in CI ({@code CI=true}) that is a failure.
 */
public final class Gfal2 {

    private static final Path SCRIPT = Path.of("src/test/python/gfal2_client.py").toAbsolutePath();
    /** Debian's binding is for the system interpreter, not whichever python3 comes first on PATH. */
    private static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String token;

    private Gfal2(String token) {
        this.token = token;
    }

    /** gfal2 without a bearer token. */
    public static Gfal2 anonymous() {
        return new Gfal2(null);
    }

    /** gfal2 sending {@code Authorization: Bearer <token>} on every call. */
    public static Gfal2 withToken(String token) {
        return new Gfal2(token);
    }

    /** Skips the calling test when gfal2 is missing, except in CI, where it fails. */
    public static void assumeInstalled() throws Exception {
        Process probe = new ProcessBuilder(PYTHON, "-c", "import gfal2").redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean installed = probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
        if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("gfal2 is required in CI (apt-get install python3-gfal2 gfal2-plugin-http"
                    + " gfal2-plugin-file): " + output);
        }
        Assumptions.assumeTrue(installed, "gfal2's Python binding is not installed: " + output);
    }

    /** An operation for {@link #run}: {@code op(“poll”).put(“token”, t)}. */
    public static ObjectNode op(String name) {
        return MAPPER.createObjectNode().put("op", name);
    }

    /** An operation naming several URLs. */
    public static ObjectNode op(String name, List<String> urls) {
        ObjectNode op = op(name);
        urls.forEach(op.putArray("urls")::add);
        return op;
    }

    /** Runs the operations in order in one gfal2 context; one result per operation. */
    public JsonNode run(ObjectNode... ops) throws IOException, InterruptedException {
        ObjectNode request = MAPPER.createObjectNode();
        if (token != null) {
            request.put("token", token);
        }
        for (ObjectNode op : ops) {
            request.withArray("ops").add(op);
        }
        Process process = new ProcessBuilder(PYTHON, SCRIPT.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(MAPPER.writeValueAsBytes(request));
        }
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new AssertionError("gfal2 script failed: " + new String(output, StandardCharsets.UTF_8));
        }
        return MAPPER.readTree(output);
    }

    /** Runs one operation and returns its result. */
    public JsonNode one(ObjectNode op) throws IOException, InterruptedException {
        return run(op).get(0);
    }
}
