package org.stagehand.backend.jdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.jackson.Jackson;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.BackendContext;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.jdp.FakeJdpArchive.DownloadFault;
import org.stagehand.backend.support.testing.RecordingListener;

/** The credential comes from the environment, reaches the upstream, and shows up in no log line or message. */
class JdpBackendCredentialTest extends ArchiveTestSupport {

    private static final String SECRET = "0000-0002-1825-0097_s3cr3t-Xq7Lp";

    /** Every formatted log line, with stack traces. */
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Map<String, Level> savedLevels = new java.util.HashMap<>();
    private AppenderBase<ILoggingEvent> capture;

    @BeforeEach
    void captureEveryLogLine() {
        capture = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                String line = event.getLoggerName() + " " + event.getFormattedMessage();
                if (event.getThrowableProxy() != null) {
                    line += "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
                }
                logLines.add(line);
            }
        };
        capture.setContext(logging);
        capture.start();
        logging.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(capture);
        // Everything at DEBUG, but for the fake server (it is not our code) and Apache's header and
        // wire loggers, which print every header by design; docs/backends.md (JDP section) warns operators.
        setLevel(Logger.ROOT_LOGGER_NAME, Level.DEBUG);
        setLevel("org.eclipse.jetty", Level.INFO);
        setLevel("org.apache.hc.client5.http.headers", Level.INFO);
        setLevel("org.apache.hc.client5.http.wire", Level.INFO);
    }

    @AfterEach
    void restoreLogging() {
        logging.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(capture);
        savedLevels.forEach((name, level) -> logging.getLogger(name).setLevel(level));
    }

    private void setLevel(String name, Level level) {
        Logger logger = logging.getLogger(name);
        savedLevels.put(name, logger.getLevel());
        logger.setLevel(level);
    }

    @Test
    void sendsTheCredentialFromTheEnvironmentAndLogsItNowhere() throws Exception {
        environment.put("JDP_TOKEN", SECRET);
        archive.requireAuthorization("Token " + SECRET);
        backend(factory -> factory.setAuthTokenVariable("JDP_TOKEN"));
        archived("a", 300_000);
        archived("b", 1000);
        // Faults make the backend log warnings with upstream messages.
        archive.injectDownloadFault("a", new DownloadFault.DropAfter(100_000));
        archive.injectDownloadFault("b", new DownloadFault.Status(503, null));

        RecordingListener listener = stage(item("a"), item("b"));

        assertFetchedIntact(listener, item("a"));
        assertFetchedIntact(listener, item("b"));
        assertThat(archive.restoreCalls()).extracting(FakeJdpArchive.RestoreCall::authorization)
                .containsOnly("Token " + SECRET);
        assertThat(archive.downloadCalls()).extracting(FakeJdpArchive.DownloadCall::authorization)
                .hasSize(4).containsOnly("Token " + SECRET);
        assertThat(logLines).as("the capture sees the backend's own lines")
                .anyMatch(line -> line.contains("upstream restore request"))
                .anyMatch(line -> line.contains("resuming at byte"));
        assertThat(logLines).noneMatch(line -> line.contains(SECRET));
    }

    @Test
    void usesTheConfiguredSchemeAndNamesTheVariableWhenTheUpstreamRefusesIt() throws Exception {
        environment.put("ARCHIVE_SECRET", SECRET);
        archive.requireAuthorization("Bearer something-else");
        backend(factory -> {
            factory.setAuthTokenVariable("ARCHIVE_SECRET");
            factory.setAuthScheme("Bearer");
        });
        archived("a", 1000);

        RecordingListener listener = stage(item("a"));

        assertThat(listener.outcome("file-a")).isInstanceOf(StagingOutcome.Retry.class);
        assertThat(messageOf(listener.outcome("file-a"))).contains("HTTP 401", "ARCHIVE_SECRET").doesNotContain(SECRET);
        assertThat(archive.restoreCalls().get(0).authorization()).isEqualTo("Bearer " + SECRET);
        assertThat(logLines).noneMatch(line -> line.contains(SECRET));
    }

    @Test
    void refusesToBuildWhenTheVariableIsUnsetAndNamesTheKeyAndVariable() {
        JdpBackendFactory factory = factory();
        factory.setAuthTokenVariable("JDP_TOKEN_MISSING");

        assertThatThrownBy(() -> factory.build(
                new BackendContext("test", stagingRoot, new MetricRegistry(), Jackson.newObjectMapper()),
                environment::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backend.authTokenVariable")
                .hasMessageContaining("JDP_TOKEN_MISSING");
    }

    @Test
    void redactsTheSecretWhenTheUpstreamEchoesItInAnError() {
        AuthHeader header = AuthHeader.of("Token", SECRET);

        assertThat(header.redact("bad token Token " + SECRET + " and " + SECRET)).doesNotContain(SECRET);
        assertThat(header.toString()).doesNotContain(SECRET);
    }
}
