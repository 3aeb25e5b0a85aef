package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.StagehandTestApp.Reply;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;
import org.stagehand.testing.TestTokens;

/**
 * WLCG tokens on the Tape REST door and the data door: {@code storage.stage:<path>} to stage (a path
 * outside the scopes fails on its own), {@code storage.read:<path>} to read a copy; an expired
 * token is refused, the well-known document is served whatever the token, and the DTS endpoints
 * do not take WLCG tokens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TapeRestJwtIT {

    private final TestTokens issuer = TestTokens.issuer("it-key");
    private StagehandTestApp app;

    @BeforeAll
    void startApp(@TempDir Path directory) throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive"))
                .file("mine", "mine/a.bin", 100)
                .file("theirs", "theirs/b.bin", 100);
        app = new StagehandTestApp(StagehandTestApp.overrides(TestDatabase.h2(directory.resolve("db")),
                directory.resolve("staging"), archive.root(), archive.writeCatalog(directory.resolve("catalog.json")),
                ConfigOverride.config("auth.tokenSha256", "0".repeat(64)),
                ConfigOverride.config("auth.jwt.jwksFile", issuer.writeKeySet(directory.resolve("jwks.json")).toString()),
                ConfigOverride.config("auth.jwt.issuers", TestTokens.ISSUER),
                ConfigOverride.config("auth.jwt.audiences", TestTokens.AUDIENCE),
                ConfigOverride.config("tapeRest.enabled", "true"),
                ConfigOverride.config("dataDoor.enabled", "true"))).start();
    }

    @AfterAll
    void stopApp() {
        if (app != null) {
            app.stop();
        }
    }

    private Reply send(String token, HttpRequest.Builder request, String path) {
        return app.send(request.header("Authorization", "Bearer " + token), path);
    }

    private Reply stage(String token, String body) {
        return send(token, HttpRequest.newBuilder().header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), "/api/v1/stage");
    }

    @Test
    void aPathOutsideTheStageScopesFailsOnItsOwnAndReadingNeedsTheReadScope() {
        String stager = issuer.token("storage.stage:/mine storage.read:/mine");
        Reply accepted = stage(stager, "{\"files\": [{\"path\": \"/archive/mine/a.bin\"}, {\"path\": \"/archive/theirs/b.bin\"}]}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
        String id = accepted.json().get("requestId").asText();

        JsonNode[] status = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            status[0] = send(stager, HttpRequest.newBuilder().GET(), "/api/v1/stage/" + id).json();
            return status[0].has("completedAt");
        });

        assertThat(status[0].get("files").get(0).get("state").asText()).isEqualTo("COMPLETED");
        assertThat(status[0].get("files").get(1).get("state").asText()).isEqualTo("FAILED");
        assertThat(status[0].get("files").get(1).get("error").asText()).contains("scopes do not allow staging");
        assertThat(send(stager, HttpRequest.newBuilder().GET(), "/archive/mine/a.bin").status()).isEqualTo(200);
        assertThat(send(issuer.token("storage.stage:/mine"), HttpRequest.newBuilder().GET(), "/archive/mine/a.bin").status())
                .isEqualTo(403);
        assertThat(send(issuer.token("storage.read:/mine"), HttpRequest.newBuilder().GET(), "/api/v1/stage/" + id).status())
                .isEqualTo(403);
    }

    @Test
    void anExpiredTokenIsRefusedEverywhereButTheWellKnownDocument() {
        String expired = issuer.token(TestTokens.ISSUER, TestTokens.AUDIENCE, "storage.stage:/ storage.read:/",
                Instant.now().minusSeconds(300));

        Reply refused = stage(expired, "{\"files\": [{\"path\": \"/archive/mine/a.bin\"}]}");

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("detail").asText()).contains("bearer token");
        assertThat(send(expired, HttpRequest.newBuilder().GET(), "/archive/mine/a.bin").status()).isEqualTo(401);
        assertThat(send(expired, HttpRequest.newBuilder().GET(), "/.well-known/wlcg-tape-rest-api").status()).isEqualTo(200);
    }

    @Test
    void aTokenFromAnotherKeyIsRefused() {
        String forged = TestTokens.issuer("it-key").token("storage.stage:/");

        assertThat(stage(forged, "{\"files\": [{\"path\": \"/archive/mine/a.bin\"}]}").status()).isEqualTo(401);
    }

    /** With a DTS token configured (the hash of no token here), the DTS contract still wants it. */
    @Test
    void theDtsEndpointsDoNotTakeWlcgTokens() {
        Reply reply = send(issuer.token("storage.stage:/"), HttpRequest.newBuilder().header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"ids\": [\"mine\"]}")), "/dts/staging");

        assertThat(reply.status()).isEqualTo(401);
    }
}
