package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.zip.Adler32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.StagehandTestApp.Reply;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/**
 * The data door: ranged GET, HEAD with {@code Want-Digest}, PROPFIND of verified staged copies,
 * behind the API's tokens, and never through a link that leads out of the staging root.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataDoorIT {

    private static final String TOKEN = "data-door-token-x81";
    private static final String BEARER = "Bearer " + TOKEN;

    private Path directory;
    private TestArchive archive;
    private StagehandTestApp app;

    @BeforeAll
    void startApp(@TempDir Path directory) throws Exception {
        this.directory = directory;
        archive = new TestArchive(directory.resolve("archive"))
                .file("a", "d/a.bin", 1000)
                .file("linked", "linked/l.bin", 100)
                .file("cold", "d/cold.bin", 10)
                .file("digest", "digest/once.bin", 1000);
        app = new StagehandTestApp(StagehandTestApp.overrides(TestDatabase.h2(directory.resolve("db")),
                directory.resolve("staging"), archive.root(), archive.writeCatalog(directory.resolve("catalog.json")),
                ConfigOverride.config("auth.tokenSha256", HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(TOKEN.getBytes(StandardCharsets.UTF_8)))),
                ConfigOverride.config("tapeRest.enabled", "true"),
                ConfigOverride.config("dataDoor.enabled", "true"))).start();
        stage("/archive/d/a.bin", "/archive/linked/l.bin", "/archive/digest/once.bin");
    }

    private void stage(String... paths) {
        StringBuilder body = new StringBuilder("{\"files\": [");
        for (int i = 0; i < paths.length; i++) {
            body.append(i == 0 ? "" : ", ").append("{\"path\": \"").append(paths[i]).append("\"}");
        }
        Reply accepted = app.send(HttpRequest.newBuilder().header("Authorization", BEARER)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString())), "/api/v1/stage");
        assertThat(accepted.status()).isEqualTo(201);
        String id = accepted.json().get("requestId").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> app.send(HttpRequest.newBuilder().GET()
                .header("Authorization", BEARER), "/api/v1/stage/" + id).json().has("completedAt"));
    }

    @AfterAll
    void stopApp() {
        if (app != null) {
            app.stop();
        }
    }

    private Reply send(String method, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder().method(method, HttpRequest.BodyPublishers.noBody())
                .header("Authorization", BEARER);
        if (headers.length > 0) {
            request.headers(headers);
        }
        return app.send(request, path);
    }

    private static String header(Reply reply, String name) {
        return reply.raw().headers().firstValue(name).orElse(null);
    }

    @Test
    void headAnswersTheSizeAndTheDigestAskedForInAnyCase() throws Exception {
        byte[] bytes = archive.bytes("d/a.bin");
        Adler32 adler = new Adler32();
        adler.update(bytes);

        Reply md5 = send("HEAD", "/archive/d/a.bin", "Want-Digest", "MD5");
        Reply adler32 = send("HEAD", "/archive/d/a.bin", "Want-Digest", "adler32");
        Reply preferred = send("HEAD", "/archive/d/a.bin", "Want-Digest", "ADLER32;q=0.3, md5;q=0.9, sha-256");

        assertThat(md5.status()).isEqualTo(200);
        assertThat(header(md5, "Content-Length")).isEqualTo("1000");
        assertThat(header(md5, "Digest")).isEqualTo("md5=" + Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("MD5").digest(bytes)));
        assertThat(header(adler32, "Digest")).isEqualTo(String.format("adler32=%08x", adler.getValue()));
        assertThat(header(preferred, "Digest")).startsWith("md5=");
        assertThat(header(send("HEAD", "/archive/d/a.bin"), "Digest")).isNull();
    }

    @Test
    void aDigestIsReadFromACopyOnceAndAfreshForANewCopyAtThatPlace() throws Exception {
        Path copy = directory.resolve("staging/digest/once.bin");
        String first = header(send("HEAD", "/archive/digest/once.bin", "Want-Digest", "adler32"), "Digest");
        FileTime modified = Files.getLastModifiedTime(copy);
        byte[] other = new byte[1000];
        Arrays.fill(other, (byte) 'x');
        Adler32 otherAdler = new Adler32();
        otherAdler.update(other);

        // the same file changed behind the service's back, size and time kept: a digest read again would differ
        Files.write(copy, other, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        Files.setLastModifiedTime(copy, modified);
        String second = header(send("HEAD", "/archive/digest/once.bin", "Want-Digest", "adler32"), "Digest");
        // a new file put in its place, as staging a copy again does
        Path fresh = Files.write(copy.resolveSibling(".fresh"), other);
        Files.setLastModifiedTime(fresh, modified);
        Files.move(fresh, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        String third = header(send("HEAD", "/archive/digest/once.bin", "Want-Digest", "adler32"), "Digest");

        assertThat(second).as("not read again").isEqualTo(first);
        assertThat(third).isEqualTo(String.format("adler32=%08x", otherAdler.getValue()));
    }

    @Test
    void aUrlWithRunsOfSlashesAsGfal2SendsItIsServedLikeTheCollapsedOne() throws Exception {
        // gfal2 (Davix) sends the path as written: "HEAD //archive//d/a.bin", "PROPFIND //archive//d/a.bin"
        Reply head = send("HEAD", "//archive//d/a.bin", "Want-Digest", "adler32");
        HttpResponse<byte[]> get = app.sendForBytes(HttpRequest.newBuilder().GET().header("Authorization", BEARER),
                "/archive/d//a.bin");
        Reply propfind = send("PROPFIND", "//archive//d/a.bin", "Depth", "0");

        assertThat(head.status()).isEqualTo(200);
        assertThat(header(head, "Digest")).isEqualTo(header(send("HEAD", "/archive/d/a.bin", "Want-Digest", "adler32"), "Digest"));
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(archive.bytes("d/a.bin"));
        assertThat(propfind.status()).isEqualTo(207);
        assertThat(propfind.body()).contains("<d:href>/archive/d/a.bin</d:href>");
        assertThat(send("GET", "//archive//d/none.bin").status()).isEqualTo(404);
    }

    @Test
    void getServesTheWholeCopyOrOneRange() throws Exception {
        byte[] bytes = archive.bytes("d/a.bin");

        Reply whole = send("GET", "/archive/d/a.bin");
        HttpResponse<byte[]> range = app.sendForBytes(HttpRequest.newBuilder().GET().header("Authorization", BEARER)
                .header("Range", "bytes=10-19"), "/archive/d/a.bin");
        HttpResponse<byte[]> suffix = app.sendForBytes(HttpRequest.newBuilder().GET().header("Authorization", BEARER)
                .header("Range", "bytes=-5"), "/archive/d/a.bin");
        Reply beyond = send("GET", "/archive/d/a.bin", "Range", "bytes=5000-");

        assertThat(whole.status()).isEqualTo(200);
        assertThat(app.sendForBytes(HttpRequest.newBuilder().GET().header("Authorization", BEARER), "/archive/d/a.bin").body())
                .isEqualTo(bytes);
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 10-19/1000");
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(bytes, 10, 20));
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(bytes, 995, 1000));
        assertThat(beyond.status()).isEqualTo(416);
        assertThat(header(beyond, "Content-Range")).isEqualTo("bytes */1000");
    }

    @Test
    void propfindOfDepthZeroDescribesTheFile() {
        Reply reply = send("PROPFIND", "/archive/d/a.bin", "Depth", "0");

        assertThat(reply.status()).isEqualTo(207);
        assertThat(reply.body()).contains("<d:href>/archive/d/a.bin</d:href>")
                .contains("<d:getcontentlength>1000</d:getcontentlength>");
    }

    @Test
    void aFileNotStagedIsNotFoundAndWritesAreNotAllowed() {
        assertThat(send("GET", "/archive/d/cold.bin").status()).isEqualTo(404);
        assertThat(send("GET", "/archive/d/nothing.bin").status()).isEqualTo(404);
        Reply put = app.send(HttpRequest.newBuilder().header("Authorization", BEARER)
                .PUT(HttpRequest.BodyPublishers.ofString("x")), "/archive/d/a.bin");
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.json().get("code").asInt()).isEqualTo(405);
    }

    @Test
    void withoutAValidTokenTheDataDoorAnswers401() {
        Reply none = app.send(HttpRequest.newBuilder().GET(), "/archive/d/a.bin");
        Reply wrong = app.send(HttpRequest.newBuilder().GET().header("Authorization", "Bearer nope"), "/archive/d/a.bin");

        assertThat(none.status()).isEqualTo(401);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(none.json().get("message").asText()).contains("bearer token");
    }

    @Test
    void aCopyReachedThroughALinkLeadingOutOfTheStagingRootIsNotServed() throws Exception {
        Path staging = directory.resolve("staging");
        assertThat(send("GET", "/archive/linked/l.bin").status()).isEqualTo(200);
        Path outside = Files.createDirectories(directory.resolve("outside"));
        Files.writeString(outside.resolve("l.bin"), "secret outside the staging root");
        Files.move(staging.resolve("linked"), staging.resolve("linked-moved"));
        Files.createSymbolicLink(staging.resolve("linked"), outside);

        Reply reply = send("GET", "/archive/linked/l.bin");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.body()).doesNotContain("secret").doesNotContain(outside.toString());
    }
}
