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
                ConfigOverride.config("publicBaseUrl", "https://stage.example.org/stagehand/"))).start();
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
}
