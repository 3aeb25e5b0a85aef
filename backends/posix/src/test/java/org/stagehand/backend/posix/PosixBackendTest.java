package org.stagehand.backend.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.BackendContext;
import org.stagehand.backend.BackendHealth;
import org.stagehand.backend.Checksum;
import org.stagehand.backend.StagingBatch;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.support.testing.StagingItems;
import org.stagehand.backend.support.ArchiveFileCopier;

class PosixBackendTest {

    @TempDir
    Path base;

    private Path archive;
    private Path staging;
    private Path outside;

    /** Backends built by a test, closed after it. */
    private final List<ArchiveBackend> built = new ArrayList<>();

    /** Outcomes in the order the backend reported them. */
    private final List<Reported> reported = new ArrayList<>();

    private record Reported(StagingItem item, StagingOutcome outcome) {
    }

    @BeforeEach
    void createDirectories() throws IOException {
        archive = Files.createDirectory(base.resolve("archive"));
        staging = Files.createDirectory(base.resolve("staging"));
        outside = Files.createDirectory(base.resolve("outside"));
    }

    @AfterEach
    void closeBackends() throws Exception {
        for (ArchiveBackend backend : built) {
            backend.close();
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    private PosixBackendFactory factory(Path root) {
        PosixBackendFactory factory = new PosixBackendFactory();
        factory.setRoot(root.toString());
        return factory;
    }

    private BackendContext context() throws IOException {
        return new BackendContext("stagehand-test", staging.toRealPath(), new MetricRegistry(), new ObjectMapper());
    }

    private ArchiveBackend build(PosixBackendFactory factory) throws Exception {
        ArchiveBackend backend = factory.build(context());
        built.add(backend);
        return backend;
    }

    private ArchiveBackend backend() throws Exception {
        return build(factory(archive));
    }

    private StagingItem item(String fileId, String location, Optional<Checksum> expected) {
        return StagingItems.item(fileId).location(location).in(staging).expectedChecksum(expected).build();
    }

    private StagingItem item(String fileId, String location) {
        return item(fileId, location, Optional.empty());
    }

    private void stage(ArchiveBackend backend, StagingBatch batch) throws InterruptedException {
        backend.stage(batch, (item, outcome) -> reported.add(new Reported(item, outcome)));
    }

    private StagingOutcome stageOne(StagingItem item) throws Exception {
        ArchiveBackend backend = backend();
        stage(backend, new StagingBatch("b", List.of(item)));
        assertThat(reported).hasSize(1);
        assertThat(reported.get(0).item()).isEqualTo(item);
        return reported.get(0).outcome();
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static Checksum digestOf(String algorithm, byte[] content) throws NoSuchAlgorithmException {
        String jdkName = algorithm.equals("md5") ? "MD5" : "SHA-256";
        byte[] digest = MessageDigest.getInstance(jdkName).digest(content);
        return new Checksum(algorithm, HexFormat.of().formatHex(digest));
    }

    private Path archiveFile(String relative, byte[] content) throws IOException {
        Path file = archive.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.write(file, content);
    }

    private List<Path> stagingContents() throws IOException {
        try (Stream<Path> files = Files.list(staging)) {
            return files.toList();
        }
    }

    // --- copying -------------------------------------------------------------------------------

    static Stream<Arguments> contents() {
        return Stream.of(
                Arguments.of("empty", new byte[0]),
                Arguments.of("small", "hello, archive\n".getBytes(StandardCharsets.UTF_8)),
                // several buffers' worth and not a multiple of the buffer size
                Arguments.of("multi-MiB random", randomBytes(5 * 1024 * 1024 + 12345, 42)),
                // past the 16 MiB step at which flushes start during the copy, and not a multiple of it
                Arguments.of("40 MiB random", randomBytes(40 * 1024 * 1024 + 777, 43)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contents")
    void copiesBytesIdenticallyWithoutExpectedChecksum(String label, byte[] content) throws Exception {
        archiveFile("data/file.bin", content);
        StagingItem item = item("f1", "data/file.bin");

        StagingOutcome outcome = stageOne(item);

        assertThat(outcome).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(Files.readAllBytes(item.temporaryFile())).isEqualTo(content);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contents")
    void copiesBytesIdenticallyWhileHashing(String label, byte[] content) throws Exception {
        archiveFile("data/file.bin", content);
        StagingItem item = item("f1", "data/file.bin", Optional.of(digestOf("md5", content)));

        StagingOutcome outcome = stageOne(item);

        assertThat(outcome).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(Files.readAllBytes(item.temporaryFile())).isEqualTo(content);
    }

    @Test
    void copiesIdenticallyWithTheSmallestBuffer() throws Exception {
        byte[] content = randomBytes(3 * 4096 + 17, 7);
        archiveFile("f", content);
        PosixBackendFactory factory = factory(archive);
        factory.setBufferBytes(4096);
        StagingItem item = item("f1", "f", Optional.of(digestOf("sha256", content)));

        ArchiveBackend backend = build(factory);
        stage(backend, new StagingBatch("b", List.of(item)));

        assertThat(reported).singleElement().extracting(Reported::outcome)
                .isEqualTo(new StagingOutcome.Fetched(Optional.of(digestOf("sha256", content))));
        assertThat(Files.readAllBytes(item.temporaryFile())).isEqualTo(content);
    }

    @ParameterizedTest(name = "expected checksum given: {0}")
    @ValueSource(booleans = {false, true})
    void overwritesALongerLeftoverTemporaryFile(boolean withChecksum) throws Exception {
        byte[] content = "short".getBytes(StandardCharsets.UTF_8);
        archiveFile("f", content);
        StagingItem item = item("f1", "f", withChecksum ? Optional.of(digestOf("md5", content)) : Optional.empty());
        Files.write(item.temporaryFile(), randomBytes(10_000, 1));

        StagingOutcome outcome = stageOne(item);

        assertThat(outcome).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(Files.readAllBytes(item.temporaryFile())).isEqualTo(content);
    }

    @Test
    void reportsObservedMd5OfTheBytesRatherThanEchoingTheExpectedOne() throws Exception {
        byte[] content = randomBytes(200_000, 3);
        archiveFile("f", content);
        // The catalog's checksum is wrong: the backend must report what it saw, not what it was told.
        Checksum wrongExpectation = digestOf("md5", "other content".getBytes(StandardCharsets.UTF_8));
        StagingItem item = item("f1", "f", Optional.of(wrongExpectation));

        StagingOutcome outcome = stageOne(item);

        assertThat(outcome).isInstanceOf(StagingOutcome.Fetched.class);
        Optional<Checksum> observed = ((StagingOutcome.Fetched) outcome).observedChecksum();
        assertThat(observed).contains(digestOf("md5", content));
        assertThat(observed.get()).isNotEqualTo(wrongExpectation);
    }

    @Test
    void reportsObservedChecksumInTheExpectedAlgorithm() throws Exception {
        byte[] content = "abc".getBytes(StandardCharsets.US_ASCII);
        archiveFile("f", content);
        StagingItem item = item("f1", "f", Optional.of(digestOf("sha256", content)));

        StagingOutcome outcome = stageOne(item);

        // FIPS 180-2 test vector for "abc"
        assertThat(outcome).isEqualTo(new StagingOutcome.Fetched(Optional.of(Checksum.parse(
                "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))));
    }

    @Test
    void reportsNoObservedChecksumWhenNoneIsExpected() throws Exception {
        archiveFile("f", "abc".getBytes(StandardCharsets.US_ASCII));

        StagingOutcome outcome = stageOne(item("f1", "f"));

        assertThat(outcome).isEqualTo(new StagingOutcome.Fetched(Optional.empty()));
    }

    @ParameterizedTest(name = "expected checksum given: {0}")
    @ValueSource(booleans = {false, true})
    void preservesTheArchiveFilesModificationTime(boolean withChecksum) throws Exception {
        byte[] content = "old data".getBytes(StandardCharsets.UTF_8);
        Path source = archiveFile("f", content);
        FileTime old = FileTime.from(Instant.parse("2001-02-03T04:05:06Z"));
        Files.setLastModifiedTime(source, old);
        StagingItem item = item("f1", "f", withChecksum ? Optional.of(digestOf("md5", content)) : Optional.empty());

        stageOne(item);

        assertThat(Files.getLastModifiedTime(item.temporaryFile()).toInstant()).isEqualTo(old.toInstant());
    }

    @Test
    void leavesModificationTimeAloneWhenPreservationIsOff() throws Exception {
        Path source = archiveFile("f", "old data".getBytes(StandardCharsets.UTF_8));
        Instant old = Instant.parse("2001-02-03T04:05:06Z");
        Files.setLastModifiedTime(source, FileTime.from(old));
        PosixBackendFactory factory = factory(archive);
        factory.setPreserveModificationTime(false);
        StagingItem item = item("f1", "f");

        ArchiveBackend backend = build(factory);
        stage(backend, new StagingBatch("b", List.of(item)));

        assertThat(reported).singleElement().extracting(Reported::outcome).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(Files.getLastModifiedTime(item.temporaryFile()).toInstant()).isAfter(old);
    }

    @Test
    void readsLocationsBelowTheRootThroughALinkThatStaysInside() throws Exception {
        byte[] content = "linked".getBytes(StandardCharsets.UTF_8);
        archiveFile("real/file.txt", content);
        Files.createSymbolicLink(archive.resolve("alias"), archive.resolve("real"));
        StagingItem item = item("f1", "alias/file.txt");

        StagingOutcome outcome = stageOne(item);

        assertThat(outcome).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(Files.readAllBytes(item.temporaryFile())).isEqualTo(content);
    }

    @Test
    void acceptsARootConfiguredThroughASymbolicLink() throws Exception {
        byte[] content = "via link".getBytes(StandardCharsets.UTF_8);
        archiveFile("f", content);
        Path linkedRoot = Files.createSymbolicLink(base.resolve("archive-link"), archive);
        StagingItem item = item("f1", "f");

        ArchiveBackend backend = build(factory(linkedRoot));
        stage(backend, new StagingBatch("b", List.of(item)));

        assertThat(reported).singleElement().extracting(Reported::outcome).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(Files.readAllBytes(item.temporaryFile())).isEqualTo(content);
    }

    // --- refusals ------------------------------------------------------------------------------

    @Test
    void missingArchiveFileFailsNamingTheLocation() throws Exception {
        StagingItem item = item("f1", "no/such/file.dat");

        StagingOutcome outcome = stageOne(item);

        assertThat(outcome).isInstanceOfSatisfying(StagingOutcome.Failed.class,
                failed -> assertThat(failed.message()).contains("no/such/file.dat"));
        assertThat(stagingContents()).isEmpty();
    }

    @Test
    void vanishedTemporaryDirectoryIsRetriedNotReportedMissingFromTheArchive() throws Exception {
        archiveFile("present.dat", "here".getBytes(StandardCharsets.UTF_8));
        // The temporary file's directory was removed under the writer (by a sweep, or an operator).
        StagingItem item = new StagingItem("f1", "present.dat", "gone/f1", staging.resolve("gone/.f1.part"),
                OptionalLong.empty(), Optional.empty(), 1);

        StagingOutcome outcome = stageOne(item);

        assertThat(outcome).isInstanceOfSatisfying(StagingOutcome.Retry.class,
                retry -> assertThat(retry.message()).doesNotContain("not in the archive").contains("vanished"));
    }

    @ParameterizedTest(name = "with checksum: {0}")
    @ValueSource(booleans = {false, true})
    void copyCancelledWhileItRunsStopsBeforeTheEnd(boolean withChecksum) throws Exception {
        byte[] content = randomBytes(12 * 1024 * 1024, 7);
        archiveFile("big.dat", content);
        StagingItem item = item("big", "big.dat",
                withChecksum ? Optional.of(digestOf("md5", content)) : Optional.empty());
        ArchiveFileCopier copier = new ArchiveFileCopier(archive.toRealPath(), false, 1 << 20);
        int[] looks = {0};

        // Cancelled once the first chunk is written: the service lost the claim meanwhile.
        StagingOutcome outcome = copier.copy(item, () -> ++looks[0] > 1);

        assertThat(outcome).isInstanceOf(StagingOutcome.Cancelled.class);
        assertThat(Files.size(item.temporaryFile())).isLessThan(content.length);
    }

    @Test
    void locationClimbingOutOfTheRootFailsAndWritesNothing() throws Exception {
        Files.writeString(outside.resolve("secret"), "secret");
        StagingItem item = item("f1", "../outside/secret");

        StagingOutcome outcome = stageOne(item);

        assertThat(outcome).isInstanceOf(StagingOutcome.Failed.class);
        assertThat(stagingContents()).isEmpty();
    }

    @Test
    void dotDotInTheMiddleOfALocationCannotLeaveTheRoot() throws Exception {
        Files.writeString(outside.resolve("secret"), "secret");
        Files.createDirectories(archive.resolve("a/b"));
        StagingItem item = item("f1", "a/b/../../../outside/secret");

        StagingOutcome outcome = stageOne(item);

        assertThat(outcome).isInstanceOf(StagingOutcome.Failed.class);
        assertThat(stagingContents()).isEmpty();
    }

    @Test
    void absoluteLocationIsNotReadOutsideTheRoot() throws Exception {
        Path secret = Files.writeString(outside.resolve("secret"), "secret");
        StagingItem item = item("f1", secret.toAbsolutePath().toString());

        StagingOutcome outcome = stageOne(item);

        assertThat(outcome).isInstanceOf(StagingOutcome.Failed.class);
        assertThat(stagingContents()).isEmpty();
    }

    @Test
    void symbolicLinkToAFileOutsideTheRootFailsAndWritesNothing() throws Exception {
        Path secret = Files.writeString(outside.resolve("secret"), "secret");
        Files.createSymbolicLink(archive.resolve("innocent.txt"), secret);
        StagingItem item = item("f1", "innocent.txt");

        StagingOutcome outcome = stageOne(item);

        assertThat(outcome).isInstanceOf(StagingOutcome.Failed.class);
        assertThat(stagingContents()).isEmpty();
    }

    @Test
    void symbolicLinkToADirectoryOutsideTheRootFailsAndWritesNothing() throws Exception {
        Files.writeString(outside.resolve("secret"), "secret");
        Files.createSymbolicLink(archive.resolve("escape"), outside);
        StagingItem item = item("f1", "escape/secret");

        StagingOutcome outcome = stageOne(item);

        assertThat(outcome).isInstanceOf(StagingOutcome.Failed.class);
        assertThat(stagingContents()).isEmpty();
    }

    @Test
    void directoryFailsAsNotARegularFile() throws Exception {
        Files.createDirectories(archive.resolve("a/dir"));
        StagingItem item = item("f1", "a/dir");

        StagingOutcome outcome = stageOne(item);

        assertThat(outcome).isInstanceOfSatisfying(StagingOutcome.Failed.class,
                failed -> assertThat(failed.message()).contains("a/dir"));
        assertThat(stagingContents()).isEmpty();
    }

    @Test
    void theRootItselfIsNotAFileToStage() throws Exception {
        StagingOutcome outcome = stageOne(item("f1", "."));

        assertThat(outcome).isInstanceOf(StagingOutcome.Failed.class);
        assertThat(stagingContents()).isEmpty();
    }

    // --- batches and cancellation -------------------------------------------------------------

    @Test
    void reportsOneOutcomePerItemInTheBatch() throws Exception {
        archiveFile("ok1", "one".getBytes(StandardCharsets.UTF_8));
        archiveFile("ok2", "two".getBytes(StandardCharsets.UTF_8));
        StagingItem first = item("a", "ok1");
        StagingItem missing = item("b", "missing");
        StagingItem second = item("c", "ok2");

        ArchiveBackend backend = backend();
        stage(backend, new StagingBatch("b", List.of(first, missing, second)));

        assertThat(reported).extracting(Reported::item).containsExactlyInAnyOrder(first, missing, second);
        assertThat(reported).filteredOn(r -> r.item().equals(missing))
                .singleElement().extracting(Reported::outcome).isInstanceOf(StagingOutcome.Failed.class);
        assertThat(Files.readString(first.temporaryFile())).isEqualTo("one");
        assertThat(Files.readString(second.temporaryFile())).isEqualTo("two");
    }

    @Test
    void cancelledItemsAreReportedCancelledAndNotCopied() throws Exception {
        archiveFile("a", "A".getBytes(StandardCharsets.UTF_8));
        archiveFile("b", "B".getBytes(StandardCharsets.UTF_8));
        archiveFile("c", "C".getBytes(StandardCharsets.UTF_8));
        StagingItem a = item("a", "a");
        StagingItem b = item("b", "b");
        StagingItem c = item("c", "c");
        StagingBatch batch = new StagingBatch("b", List.of(a, b, c));
        batch.cancel(List.of(b));

        ArchiveBackend backend = backend();
        stage(backend, batch);

        assertThat(reported).hasSize(3);
        assertThat(reported).filteredOn(r -> r.item().equals(b))
                .singleElement().extracting(Reported::outcome).isInstanceOf(StagingOutcome.Cancelled.class);
        assertThat(reported).filteredOn(r -> !r.item().equals(b))
                .extracting(Reported::outcome).allMatch(o -> o instanceof StagingOutcome.Fetched);
        assertThat(b.temporaryFile()).doesNotExist();
        assertThat(Files.readString(a.temporaryFile())).isEqualTo("A");
        assertThat(Files.readString(c.temporaryFile())).isEqualTo("C");
    }

    @Test
    void itemCancelledWhileTheBatchRunsIsNotCopied() throws Exception {
        archiveFile("a", "A".getBytes(StandardCharsets.UTF_8));
        archiveFile("b", "B".getBytes(StandardCharsets.UTF_8));
        StagingItem a = item("a", "a");
        StagingItem b = item("b", "b");
        StagingBatch batch = new StagingBatch("b", List.of(a, b));

        ArchiveBackend backend = backend();
        backend.stage(batch, (item, outcome) -> {
            reported.add(new Reported(item, outcome));
            // The service cancels the rest while the first item is being recorded.
            batch.cancel(List.of(b));
        });

        assertThat(reported).extracting(Reported::item).containsExactlyInAnyOrder(a, b);
        assertThat(reported).filteredOn(r -> r.item().equals(b))
                .singleElement().extracting(Reported::outcome).isInstanceOf(StagingOutcome.Cancelled.class);
        assertThat(b.temporaryFile()).doesNotExist();
    }

    @Test
    void interruptedThreadStopsWithoutReporting() throws Exception {
        archiveFile("a", "A".getBytes(StandardCharsets.UTF_8));
        StagingItem a = item("a", "a");

        ArchiveBackend backend = backend();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> stage(backend, new StagingBatch("b", List.of(a))))
                    .isInstanceOf(InterruptedException.class);
        } finally {
            Thread.interrupted();
        }

        assertThat(reported).isEmpty();
        assertThat(a.temporaryFile()).doesNotExist();
    }

    // --- factory and health --------------------------------------------------------------------

    @Test
    void factoryRefusesAMissingRootNamingTheKey() {
        PosixBackendFactory factory = factory(base.resolve("no-such-archive"));

        assertThatThrownBy(() -> factory.build(context()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backend.root");
    }

    @Test
    void factoryRefusesARootThatIsAFile() throws IOException {
        Path file = Files.writeString(base.resolve("plain-file"), "x");
        PosixBackendFactory factory = factory(file);

        assertThatThrownBy(() -> factory.build(context()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backend.root");
    }

    @Test
    void healthyWhenTheRootIsReadable() throws Exception {
        ArchiveBackend backend = backend();

        BackendHealth health = backend.checkHealth();

        assertThat(health.healthy()).isTrue();
        assertThat(health.message()).isNotBlank();
    }

    @Test
    void unhealthyOnceTheRootIsDeleted() throws Exception {
        ArchiveBackend backend = backend();
        String rootPath = archive.toRealPath().toString();
        Files.delete(archive);

        BackendHealth health = backend.checkHealth();

        assertThat(health.healthy()).isFalse();
        assertThat(health.message()).contains(rootPath);
    }
}
