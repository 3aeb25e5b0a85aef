package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.testing.RawHttp;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/** With {@code publicBaseUrl} set, the URLs handed out start with it whatever {@code Host} the client sent. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PublicBaseUrlIT {

    private StagehandTestApp app;

    @BeforeAll
    void startApp(@TempDir Path directory) throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive")).file("a", "a.bin", 10);
        app = new StagehandTestApp(StagehandTestApp.overrides(TestDatabase.h2(directory.resolve("db")),
                directory.resolve("staging"), archive.root(), archive.writeCatalog(directory.resolve("catalog.json")),
                ConfigOverride.config("publicBaseUrl", "https://stage.example.org/stagehand/"),
                ConfigOverride.config("tapeRest.enabled", "true"))).start();
    }

    @AfterAll
    void stopApp() {
        if (app != null) {
            app.stop();
        }
    }

    @Test
    void locationOfA201StartsWithThePublicBaseUrlNotTheClientsHost() throws Exception {
        String body = "{\"ids\":[\"a\"]}";
        RawHttp.Answer answer = RawHttp.exchange(app.port(), "POST /dts/staging HTTP/1.1\r\nHost: evil.example:666\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);

        assertThat(answer.status()).isEqualTo(201);
        String requestId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body()).get("request_id").asText();
        assertThat(answer.header("Location")).isEqualTo("https://stage.example.org/stagehand/dts/staging/" + requestId);
    }

    @Test
    void tapeRestLocationAndTheWellKnownUriStartWithThePublicBaseUrl() throws Exception {
        String body = "{\"files\":[{\"path\":\"/archive/a.bin\"}]}";
        RawHttp.Answer staged = RawHttp.exchange(app.port(), "POST /api/v1/stage HTTP/1.1\r\nHost: evil.example:666\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
        RawHttp.Answer wellKnown = RawHttp.exchange(app.port(), "GET /.well-known/wlcg-tape-rest-api HTTP/1.1\r\n"
                + "Host: evil.example:666\r\nConnection: close\r\n\r\n");

        assertThat(staged.status()).isEqualTo(201);
        String requestId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(staged.body()).get("requestId").asText();
        assertThat(staged.header("Location")).isEqualTo("https://stage.example.org/stagehand/api/v1/stage/" + requestId);
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(wellKnown.body())
                .get("endpoints").get(0).get("uri").asText()).isEqualTo("https://stage.example.org/stagehand/api/v1");
    }
}
