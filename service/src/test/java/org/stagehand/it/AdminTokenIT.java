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

/** With an admin token configured, admin tasks need it in the Authorization header; health stays open. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminTokenIT {

    private static final String TOKEN = "admin-secret";
    private static final String TOKEN_SHA256 = "16175223c8ddce5ace0493c948569c211b03c4c6bb3d3e484434999448cffe01";

    private StagehandTestApp app;

    @BeforeAll
    void startApp(@TempDir Path directory) throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive")).file("a", "a.bin", 10);
        app = new StagehandTestApp(StagehandTestApp.overrides(TestDatabase.h2(directory.resolve("db")),
                directory.resolve("staging"), archive.root(), archive.writeCatalog(directory.resolve("catalog.json")),
                ConfigOverride.config("auth.adminTokenSha256", TOKEN_SHA256))).start();
    }

    @AfterAll
    void stopApp() {
        if (app != null) {
            app.stop();
        }
    }

    private RawHttp.Answer task(String nameAndQuery, String authorization) throws Exception {
        return RawHttp.exchange(app.adminPort(), "POST /tasks/" + nameAndQuery + " HTTP/1.1\r\nHost: localhost\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Content-Length: 0\r\nConnection: close\r\n\r\n");
    }

    @Test
    void taskWithoutTheTokenIsRefusedAndDoesNothing() throws Exception {
        RawHttp.Answer answer = task("pause", null);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(answer.body()).contains("\"code\":401").contains("admin token");
        assertThat(answer.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(app.getAdmin("/healthcheck").status()).isEqualTo(200);
    }

    @Test
    void wrongTokenOrATokenInTheQueryIsRefused() throws Exception {
        assertThat(task("pause", "Bearer not-the-token").status()).isEqualTo(401);
        assertThat(task("pause?access_token=" + TOKEN, null).status()).isEqualTo(401);
        assertThat(task("pause", "Basic " + TOKEN).status()).isEqualTo(401);
    }

    @Test
    void taskWithTheTokenRuns() throws Exception {
        RawHttp.Answer paused = task("pause", "Bearer " + TOKEN);
        RawHttp.Answer resumed = task("resume", "Bearer " + TOKEN);

        assertThat(paused.status()).isEqualTo(200);
        assertThat(paused.body()).contains("paused");
        assertThat(resumed.body()).contains("resumed");
    }
}
