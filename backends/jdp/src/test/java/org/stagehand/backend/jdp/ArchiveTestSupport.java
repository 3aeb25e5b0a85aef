package org.stagehand.backend.jdp;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.client.JerseyClientConfiguration;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.util.Duration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.backend.BackendContext;
import org.stagehand.backend.Checksum;
import org.stagehand.backend.StagingBatch;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.support.testing.RecordingListener;
import org.stagehand.backend.support.testing.StagingItems;

/** A fake archive per test, a backend built against it with short timings, and item helpers. */
abstract class ArchiveTestSupport {

    @TempDir
    Path stagingRoot;

    FakeJdpArchive archive;
    JdpBackend backend;
    final Map<String, String> environment = new HashMap<>();
    final Map<String, byte[]> contents = new HashMap<>();
    private final Random random = new Random(42);

    @BeforeEach
    void startArchive() throws Exception {
        archive = FakeJdpArchive.start();
    }

    @AfterEach
    void stopArchive() throws Exception {
        if (backend != null) {
            backend.close();
        }
        archive.close();
    }

    /** A factory with test timings: fast polls and backoff, a 5 s read timeout, no credential. */
    JdpBackendFactory factory() {
        JdpBackendFactory factory = new JdpBackendFactory();
        factory.setBaseUrl(archive.baseUrl());
        factory.setAuthTokenVariable("");
        factory.setPollInterval(Duration.milliseconds(20));
        factory.setRetryBackoff(Duration.milliseconds(10));
        factory.setMaxRetryWait(Duration.seconds(3));
        factory.setMaxRestoreWait(Duration.seconds(20));
        JerseyClientConfiguration client = JdpBackendFactory.defaultClientConfiguration();
        client.setTimeout(Duration.seconds(5));
        client.setConnectionTimeout(Duration.seconds(2));
        factory.setClient(client);
        return factory;
    }

    JdpBackend backend(Consumer<JdpBackendFactory> tweak) {
        JdpBackendFactory factory = factory();
        tweak.accept(factory);
        backend = factory.build(new BackendContext("test", stagingRoot, new MetricRegistry(), Jackson.newObjectMapper()),
                environment::get);
        return backend;
    }

    JdpBackend backend() {
        return backend(factory -> { });
    }

    /** Puts random content of {@code size} bytes in the archive under {@code id}. */
    byte[] archived(String id, int size) {
        byte[] content = new byte[size];
        random.nextBytes(content);
        archive.addFile(id, content);
        contents.put(id, content);
        return content;
    }

    /** An item for archived file {@code id}, with the catalog's size and a checksum in {@code algorithm} (or none). */
    StagingItem item(String id, String algorithm) {
        byte[] content = contents.get(id);
        Optional<Checksum> checksum = algorithm == null ? Optional.empty() : Optional.of(checksumOf(algorithm, content));
        return StagingItems.item("file-" + id).location(id).stagingPath("staged/" + id + ".bin")
                .temporaryFile(stagingRoot.resolve(id + ".part")).expectedBytes(content.length).expectedChecksum(checksum).build();
    }

    StagingItem item(String id) {
        return item(id, "md5");
    }

    /** An item the catalog describes with {@code size} and no checksum, whatever the archive holds. */
    StagingItem itemWithCatalogSize(String id, long size) {
        return StagingItems.item("file-" + id).location(id).stagingPath("staged/" + id + ".bin")
                .temporaryFile(stagingRoot.resolve(id + ".part")).expectedBytes(size).build();
    }

    static Checksum checksumOf(String algorithm, byte[] content) {
        MessageDigest digest = Checksum.newDigest(algorithm);
        digest.update(content);
        return Checksum.of(algorithm, digest);
    }

    RecordingListener stage(StagingItem... items) throws InterruptedException {
        RecordingListener listener = RecordingListener.withoutContents();
        backend.stage(new StagingBatch("batch-1", List.of(items)), listener);
        assertThat(listener.duplicates()).as("reports beyond one per item").isEmpty();
        return listener;
    }

    /** Asserts the item was fetched and its temporary file holds exactly the archived bytes. */
    void assertFetchedIntact(RecordingListener listener, StagingItem item) throws IOException {
        assertThat(listener.outcome(item.fileId())).as(item.fileId()).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(Files.readAllBytes(item.temporaryFile())).as("bytes of " + item.fileId())
                .isEqualTo(contents.get(item.archiveLocation()));
    }

    static String messageOf(StagingOutcome outcome) {
        if (outcome instanceof StagingOutcome.Failed failed) {
            return failed.message();
        }
        if (outcome instanceof StagingOutcome.Retry retry) {
            return retry.message();
        }
        return String.valueOf(outcome);
    }
}
