package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stagehand.testing.RawHttp;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/**
 * Requests that Jetty refuses before the application sees them (too long, malformed, smuggling
 * attempts, methods not allowed) get the same JSON errors as the application's, on both ports.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JettyErrorsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StagehandTestApp app;

    @BeforeAll
    void startApp(@TempDir Path directory) throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive")).file("a", "a.bin", 10);
        app = new StagehandTestApp(StagehandTestApp.overrides(TestDatabase.h2(directory.resolve("db")),
                directory.resolve("staging"), archive.root(), archive.writeCatalog(directory.resolve("catalog.json")),
                // A short body must end in its own 400, not in the data-rate check's 408 on a busy machine.
                ConfigOverride.config("http.minRequestDataRate", "0B"))).start();
    }

    @AfterAll
    void stopApp() {
        if (app != null) {
            app.stop();
        }
    }

    static Stream<Arguments> refusedBeforeTheApplication() {
        String post = "POST /dts/staging HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n";
        return Stream.of(
                Arguments.of("URI too long", 414, "GET /dts/staging?id=" + "x".repeat(20_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                Arguments.of("header too large", 431, "GET /dts/staging HTTP/1.1\r\nHost: localhost\r\nX-Big: "
                        + "y".repeat(20_000) + "\r\n\r\n"),
                Arguments.of("no Host", 400, "GET /dts/staging HTTP/1.1\r\n\r\n"),
                Arguments.of("request line garbled", 400, "GET /dts/staging HTTP/9.9 junk\r\nHost: localhost\r\n\r\n"),
                Arguments.of("encoded dot segments", 400, "GET /dts/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                Arguments.of("encoded separator", 400, "GET /dts/staging%2f..%2f..%2fx HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                Arguments.of("bad percent encoding", 400, "GET /dts/staging/%zz HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                Arguments.of("NUL in path", 400, "GET /dts/staging/%00 HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                Arguments.of("Content-Length and chunked", 400, post + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "0\r\n\r\n"),
                Arguments.of("two Content-Lengths", 400, post + "Content-Length: 11\r\nContent-Length: 5\r\n\r\n{\"ids\":[1]}"),
                Arguments.of("chunked not last", 400, post + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n"),
                Arguments.of("space before colon", 400, post + "Content-Length : 11\r\n\r\n{\"ids\":[1]}"),
                Arguments.of("folded header", 400, post + "X-A: a\r\n b\r\nContent-Length: 11\r\n\r\n{\"ids\":[1]}"),
                Arguments.of("TRACE", 405, "TRACE /dts/staging HTTP/1.1\r\nHost: localhost\r\n\r\n"));
    }

    /** Refused once the application reads the request: only the API port has resources that read bodies. */
    static Stream<Arguments> refusedWhileTheApplicationReads() {
        String post = "POST /dts/staging HTTP/1.1\r\nHost: localhost\r\n";
        return Stream.of(
                Arguments.of("garbled content type", 400, post + "Content-Type: /;;==\r\nContent-Length: 11\r\n\r\n{\"ids\":[1]}"),
                Arguments.of("bad chunk size", 400, post + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "zz\r\n{}\r\n0\r\n\r\n"),
                Arguments.of("body shorter than its length", 400, post + "Content-Type: application/json\r\n"
                        + "Content-Length: 100\r\nConnection: close\r\n\r\n{\"ids\":"));
    }

    @ParameterizedTest(name = "{0} on the API port")
    @MethodSource({"refusedBeforeTheApplication", "refusedWhileTheApplicationReads"})
    void apiPortAnswersJson(String what, int status, String request) throws Exception {
        assertJsonError(RawHttp.exchange(app.port(), request), status);
    }

    @ParameterizedTest(name = "{0} on the admin port")
    @MethodSource("refusedBeforeTheApplication")
    void adminPortAnswersJson(String what, int status, String request) throws Exception {
        assertJsonError(RawHttp.exchange(app.adminPort(), request.replace("/dts/staging", "/tasks/evict")), status);
    }

    /** What the task servlet answered 500 for (it reads parameters and body itself): a 400 before it runs. */
    static Stream<Arguments> refusedWhileTheAdminReads() {
        String post = "POST /tasks/evict?dry-run=true HTTP/1.1\r\nHost: localhost\r\n";
        return Stream.of(
                Arguments.of("unknown charset", 400, post + "Content-Type: application/x-www-form-urlencoded;"
                        + " charset=no-such-charset\r\nContent-Length: 3\r\n\r\na=b"),
                Arguments.of("bad chunk size", 400, post + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0} on the admin port's tasks")
    @MethodSource("refusedWhileTheAdminReads")
    void adminTasksAnswerJsonForUnreadableRequests(String what, int status, String request) throws Exception {
        assertJsonError(RawHttp.exchange(app.adminPort(), request), status);
    }

    private static void assertJsonError(RawHttp.Answer answer, int status) throws Exception {
        assertThat(answer.status()).as(answer.head() + answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).as(answer.head()).startsWith("application/json");
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("code").asInt()).isEqualTo(status);
        assertThat(body.get("message").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("org.eclipse");
    }
}
