package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/**
 * With an admin token configured the console needs it: scripts send it as a bearer token, a browser
 * signs in once through the form and keeps a session cookie that holds no token.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleSignInIT {

    private static final String TOKEN = "admin-secret";
    private static final String TOKEN_SHA256 = "16175223c8ddce5ace0493c948569c211b03c4c6bb3d3e484434999448cffe01";

    private StagehandTestApp app;
    private final HttpClient http = HttpClient.newHttpClient();

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

    private HttpResponse<String> get(String path, String header, String value) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + app.adminPort() + path));
        if (header != null) {
            request.header(header, value);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> signIn(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + app.adminPort() + "/console/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + token)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void endpointsNeedTheAdminTokenAsBearer() throws Exception {
        HttpResponse<String> without = get("/console/api/overview", null, null);
        assertThat(without.statusCode()).isEqualTo(401);
        assertThat(without.body()).contains("\"code\":401");
        assertThat(get("/console/api/overview", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(get("/console/api/overview", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void pagesSendABrowserToTheSignInForm() throws Exception {
        HttpResponse<String> page = get("/console/", null, null);
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).hasValue("/console/login");
        HttpResponse<String> form = get("/console/login", null, null);
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("<label for=\"token\">").contains("type=\"password\"");
    }

    @Test
    void signingInSetsAStrictHttpOnlySessionCookieWithoutTheToken() throws Exception {
        assertThat(signIn("wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> signedIn = signIn(TOKEN);
        assertThat(signedIn.statusCode()).isEqualTo(303);
        String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("stagehand_console=").contains("HttpOnly").contains("SameSite=Strict")
                .contains("Path=/console").doesNotContain(TOKEN).doesNotContain("Secure");
        String session = cookie.substring(0, cookie.indexOf(';'));
        assertThat(get("/console/", "Cookie", session).statusCode()).isEqualTo(200);
        assertThat(get("/console/api/overview", "Cookie", session).statusCode()).isEqualTo(200);
        // A forged or altered session is no session.
        assertThat(get("/console/api/overview", "Cookie", session + "x").statusCode()).isEqualTo(401);
        assertThat(get("/console/api/overview", "Cookie", "stagehand_console=99999999999.AAAA").statusCode())
                .isEqualTo(401);
    }

    @Test
    void theCookieOpensNoAdminTask() throws Exception {
        String cookie = signIn(TOKEN).headers().firstValue("Set-Cookie").orElseThrow();
        HttpResponse<String> task = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + app.adminPort() + "/tasks/pause"))
                .header("Cookie", cookie.substring(0, cookie.indexOf(';')))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(task.statusCode()).isEqualTo(401);
    }
}
