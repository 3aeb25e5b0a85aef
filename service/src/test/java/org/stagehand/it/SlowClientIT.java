package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/**
 * A client that trickles its body, or sends nothing at all, loses its connection: the minimum
 * request data rate (its default) and the idle timeout ({@code http.idleTimeout}, short here).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowClientIT {

    private static final int BODY_LENGTH = 2_000;

    private StagehandTestApp app;

    @BeforeAll
    void startApp(@TempDir Path directory) throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive")).file("a", "a.bin", 10);
        app = new StagehandTestApp(StagehandTestApp.overrides(TestDatabase.h2(directory.resolve("db")),
                directory.resolve("staging"), archive.root(), archive.writeCatalog(directory.resolve("catalog.json")),
                ConfigOverride.config("http.idleTimeout", "2s"))).start();
    }

    @AfterAll
    void stopApp() {
        if (app != null) {
            app.stop();
        }
    }

    @Test
    void bodyTrickledOneByteEvery100MillisecondsIsCutOffLongBeforeItEnds() throws Exception {
        AtomicInteger sent = new AtomicInteger();
        try (Socket socket = new Socket("localhost", app.port())) {
            // Well past the minimum rate's verdict, far short of the 200 s the whole body would take.
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /dts/staging HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + BODY_LENGTH + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread trickle = new Thread(() -> {
                try {
                    while (sent.get() < BODY_LENGTH) {
                        out.write(' ');
                        out.flush();
                        sent.incrementAndGet();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // the service closed the connection
                }
            });
            trickle.setDaemon(true);
            trickle.start();

            String answer = readUntilClosed(socket.getInputStream());
            trickle.interrupt();

            assertThat(sent.get()).isLessThan(BODY_LENGTH);
            // Refused while the application reads: a 408 in JSON, then the close.
            assertThat(answer).startsWith("HTTP/1.1 408").contains("\"code\":408");
        }
        assertThat(app.get("/dts/staging?id=" + java.util.UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    void connectionThatSendsNothingIsClosedAfterTheIdleTimeout() throws Exception {
        try (Socket socket = new Socket("localhost", app.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write("GET /dts/staging?id=".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            readUntilClosed(socket.getInputStream());
        }
    }

    /** What the service sent before it closed the connection; fails if it kept it open. */
    private static String readUntilClosed(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        try {
            int b;
            while ((b = in.read()) >= 0) {
                text.append((char) b);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the service kept the connection open; it sent: " + text, e);
        } catch (IOException e) {
            // reset by the service: closed as well
        }
        return text.toString();
    }
}
