package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.StagehandTestApp.Reply;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/** With a token configured (by its hash), the staging endpoints want it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthenticationIT {

    private static final String TOKEN = "s3cret-dts-token";
    private StagehandTestApp app;

    @BeforeAll
    void startApp(@TempDir Path directory) throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive")).file("a", "a.bin", 100);
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(TOKEN.getBytes(StandardCharsets.UTF_8)));
        app = new StagehandTestApp(StagehandTestApp.overrides(TestDatabase.h2(directory.resolve("db")),
                directory.resolve("staging"), archive.root(), archive.writeCatalog(directory.resolve("catalog.json")),
                ConfigOverride.config("auth.tokenSha256", hash))).start();
    }

    @AfterAll
    void stopApp() {
        app.stop();
    }

    private Reply post(String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder().header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"ids\": [\"a\"]}"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return app.send(request, "/dts/staging");
    }

    @Test
    void requestWithoutATokenAnswers401InJson() {
        Reply reply = post(null);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json().get("code").asInt()).isEqualTo(401);
        assertThat(reply.raw().headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Bearer"));
    }

    @Test
    void wrongTokenAnswers401AndIsNotEchoed() {
        Reply reply = post("Bearer not-the-token");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.body()).doesNotContain("not-the-token");
    }

    @Test
    void rightTokenIsAcceptedForPostAndStatus() {
        Reply reply = post("Bearer " + TOKEN);

        assertThat(reply.status()).isEqualTo(201);
        String id = reply.json().get("request_id").asText();
        Reply status = app.send(HttpRequest.newBuilder().header("Authorization", "Bearer " + TOKEN).GET(),
                "/dts/staging?id=" + id);
        assertThat(status.status()).isEqualTo(200);
        assertThat(app.get("/dts/staging?id=" + id).status()).isEqualTo(401);
    }
}
