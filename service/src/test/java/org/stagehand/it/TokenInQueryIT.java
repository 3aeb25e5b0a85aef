package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
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

/**
 * A token is taken from the {@code Authorization} header only: {@code ?access_token=} is refused
 * for GET and POST, and no log line, the request log included, holds a token-like query value.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenInQueryIT {

    private static final String TOKEN = "s3cret-query-token";

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private StagehandTestApp app;

    @BeforeAll
    void startApp(@TempDir Path directory) throws Exception {
        // The request log and the service's log go to the console; a copy is kept here to search.
        originalOut = System.out;
        System.setOut(new PrintStream(new Tee(originalOut, logged), true, StandardCharsets.UTF_8));
        TestArchive archive = new TestArchive(directory.resolve("archive")).file("a", "a.bin", 100);
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(TOKEN.getBytes(StandardCharsets.UTF_8)));
        app = new StagehandTestApp(StagehandTestApp.overrides(TestDatabase.h2(directory.resolve("db")),
                directory.resolve("staging"), archive.root(), archive.writeCatalog(directory.resolve("catalog.json")),
                ConfigOverride.config("auth.tokenSha256", hash))).start();
    }

    @AfterAll
    void stopApp() {
        app.stop();
        System.setOut(originalOut);
    }

    private String log() {
        synchronized (logged) {
            return logged.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aTokenInTheQueryStringIsRefusedForPostAndGet() {
        Reply post = app.send(HttpRequest.newBuilder().header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"ids\": [\"a\"]}")), "/dts/staging?access_token=" + TOKEN);
        Reply get = app.get("/dts/staging?id=4b86e181-8c83-447e-aada-af9232af7da0&access_token=" + TOKEN);

        assertThat(post.status()).isEqualTo(401);
        assertThat(get.status()).isEqualTo(401);
        Reply withHeader = app.send(HttpRequest.newBuilder().header("Authorization", "Bearer " + TOKEN).GET(),
                "/dts/staging?id=4b86e181-8c83-447e-aada-af9232af7da0");
        assertThat(withHeader.status()).as("the header still works").isEqualTo(404);
    }

    @Test
    void tokenLikeQueryParametersAreRedactedFromTheRequestLog() {
        app.get("/dts/staging?id=4b86e181-8c83-447e-aada-af9232af7da0&access_token=" + TOKEN + "-1");
        app.get("/dts/staging?id=x&api_key=" + TOKEN + "-2&other=kept");
        app.get("/dts/staging?id=x&access%5Ftoken=" + TOKEN + "-3");
        app.getAdmin("/healthcheck?token=" + TOKEN + "-4");

        await().atMost(Duration.ofSeconds(10)).until(() -> log().contains("api_key=REDACTED&other=kept"));
        await().atMost(Duration.ofSeconds(10)).until(() -> log().contains("/healthcheck?token=REDACTED"));
        assertThat(log()).contains("access_token=REDACTED", "access%5Ftoken=REDACTED").doesNotContain(TOKEN);
    }

    /** Writes to both streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final ByteArrayOutputStream second;

        Tee(OutputStream first, ByteArrayOutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            synchronized (second) {
                second.write(bytes, offset, length);
            }
            try {
                first.write(bytes, offset, length);
            } catch (java.io.IOException e) {
                // the copy is what the test reads
            }
        }
    }
}
