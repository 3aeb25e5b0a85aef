package org.stagehand.area;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.backend.Checksum;

class StagingAreaTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final String OTHER_TOKEN = "fedcba9876543210fedcba9876543210";

    @TempDir
    Path base;

    private Path rootDir;
    private StagingArea area;

    @BeforeEach
    void openArea() throws IOException {
        rootDir = Files.createDirectory(base.resolve("staging"));
        area = StagingArea.open(rootDir, false);
    }

    private static RelativePath path(String value) {
        return new RelativePath(value);
    }

    /** The checksum computed here with the JDK, independently of the code under test. */
    private static Checksum digest(String algorithm, byte[] content) {
        String jdkName = algorithm.equals("md5") ? "MD5" : "SHA-256";
        try {
            return new Checksum(algorithm, HexFormat.of().formatHex(MessageDigest.getInstance(jdkName).digest(content)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private Path write(String relative, byte[] content) throws IOException {
        Path file = area.root().resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.write(file, content);
    }

    // --- open ----------------------------------------------------------------------------------

    @Test
    void openRefusesAMissingRootNamingTheKey() {
        Path missing = base.resolve("missing");

        assertThatThrownBy(() -> StagingArea.open(missing, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("staging.root");
        assertThat(missing).doesNotExist();
    }

    @Test
    void openCreatesAMissingRootWhenAsked() throws IOException {
        Path missing = base.resolve("new/nested/root");

        StagingArea created = StagingArea.open(missing, true);

        assertThat(missing).isDirectory();
        assertThat(created.root()).isEqualTo(missing.toRealPath());
    }

    @Test
    void openRefusesARootThatIsAFile() throws IOException {
        Path file = Files.writeString(base.resolve("file"), "x");

        assertThatThrownBy(() -> StagingArea.open(file, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("staging.root");
    }

    @Test
    void rootIsTheRealPathWhenOpenedThroughALink() throws IOException {
        Path link = Files.createSymbolicLink(base.resolve("link"), rootDir);

        StagingArea linked = StagingArea.open(link, false);

        assertThat(linked.root()).isEqualTo(rootDir.toRealPath());
        assertThat(linked.root()).isAbsolute();
    }

    // --- target and temporary files ------------------------------------------------------------

    @Test
    void targetLiesInsideTheRoot() {
        for (String value : List.of("f", "a/b/c.txt", ".hidden", "a/..b")) {
            Path target = area.target(path(value));

            assertThat(target).startsWithRaw(area.root());
            assertThat(target).isNotEqualTo(area.root());
            assertThat(area.root().relativize(target).toString()).isEqualTo(value);
        }
    }

    @Test
    void prepareTemporaryFileCreatesTheParentDirectories() throws IOException {
        RelativePath file = path("x/y/z.dat");

        Path temporary = area.prepareTemporaryFile(file, TOKEN);

        assertThat(temporary.getParent()).isDirectory();
        assertThat(temporary.getParent()).isEqualTo(area.root().resolve("x/y"));
        assertThat(temporary.getParent()).isEqualTo(area.target(file).getParent());
    }

    @Test
    void temporaryNameIsHiddenAndEndsWithThePartSuffix() throws IOException {
        Path temporary = area.prepareTemporaryFile(path("x/z.dat"), TOKEN);
        String name = temporary.getFileName().toString();

        assertThat(name).startsWith(".").endsWith(".stagehand-part").contains(TOKEN);
        assertThat(temporary).isNotEqualTo(area.target(path("x/z.dat")));
    }

    @Test
    void temporaryFilesOfDifferentClaimsDiffer() {
        assertThat(area.temporaryFile(path("a.txt"), TOKEN)).isNotEqualTo(area.temporaryFile(path("a.txt"), OTHER_TOKEN));
    }

    @Test
    void temporaryNameStaysWithinTheFileNameLimitForLongNames() throws IOException {
        String longName = "n".repeat(250); // a legal name, but with prefix and suffix it would exceed 255
        Path temporary = area.prepareTemporaryFile(path("d/" + longName), TOKEN);

        assertThat(temporary.getFileName().toString().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
        assertThat(temporary.getFileName().toString()).startsWith(".").endsWith(".stagehand-part");
        Files.writeString(temporary, "creatable");
        assertThat(temporary).exists();
    }

    @Test
    void prepareTemporaryFileRefusesADirectoryLinkedOutsideTheRoot() throws IOException {
        Path outside = Files.createDirectory(base.resolve("outside"));
        Files.createSymbolicLink(area.root().resolve("escape"), outside);

        assertThatThrownBy(() -> area.prepareTemporaryFile(path("escape/file.txt"), TOKEN))
                .isInstanceOf(IOException.class);
        try (Stream<Path> files = Files.list(outside)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void prepareTemporaryFileRefusesALinkHigherUpThePath() throws IOException {
        Path outside = Files.createDirectories(base.resolve("outside/deep"));
        Files.createDirectories(area.root().resolve("a"));
        Files.createSymbolicLink(area.root().resolve("a/escape"), outside.getParent());

        assertThatThrownBy(() -> area.prepareTemporaryFile(path("a/escape/deep/file.txt"), TOKEN))
                .isInstanceOf(IOException.class);
    }

    @Test
    void prepareTemporaryFileCreatesNoDirectoryOutsideTheRoot() throws IOException {
        Path outside = Files.createDirectory(base.resolve("outside"));
        Files.createSymbolicLink(area.root().resolve("escape"), outside);

        assertThatThrownBy(() -> area.prepareTemporaryFile(path("escape/new/dir/file.txt"), TOKEN))
                .isInstanceOf(IOException.class);
        assertThat(outside.resolve("new")).doesNotExist();
    }

    // --- verify --------------------------------------------------------------------------------

    @Test
    void verifyPassesACorrectFile() throws Exception {
        byte[] content = randomBytes(3 * 1024 * 1024 + 5, 11); // more than one read buffer
        Path file = write("f.bin", content);

        assertThat(area.verify(file, OptionalLong.of(content.length), Optional.of(digest("md5", content)),
                Optional.empty())).isEmpty();
        assertThat(area.verify(file, OptionalLong.of(content.length), Optional.of(digest("sha256", content)),
                Optional.empty())).isEmpty();
    }

    @Test
    void verifyPassesWhenNothingIsExpected() throws IOException {
        Path file = write("f.bin", "anything".getBytes(StandardCharsets.UTF_8));

        assertThat(area.verify(file, OptionalLong.empty(), Optional.empty(), Optional.empty())).isEmpty();
    }

    @Test
    void verifyReportsSizeMismatch() throws Exception {
        byte[] content = "twelve bytes".getBytes(StandardCharsets.UTF_8);
        Path file = write("f.bin", content);

        Optional<String> problem = area.verify(file, OptionalLong.of(13), Optional.of(digest("md5", content)),
                Optional.empty());

        assertThat(problem).hasValueSatisfying(p -> assertThat(p).contains("size").contains("13").contains("12"));
    }

    @Test
    void verifyReportsMd5Mismatch() throws Exception {
        byte[] content = "the file".getBytes(StandardCharsets.UTF_8);
        byte[] other = "the filE".getBytes(StandardCharsets.UTF_8); // same size
        Path file = write("f.bin", content);

        Optional<String> problem = area.verify(file, OptionalLong.of(content.length),
                Optional.of(digest("md5", other)), Optional.empty());

        assertThat(problem).hasValueSatisfying(p -> assertThat(p).contains("checksum")
                .contains(digest("md5", other).hex()).contains(digest("md5", content).hex()));
    }

    @Test
    void verifyReportsSha256Mismatch() throws Exception {
        byte[] content = "the file".getBytes(StandardCharsets.UTF_8);
        byte[] other = "the filE".getBytes(StandardCharsets.UTF_8);
        Path file = write("f.bin", content);

        Optional<String> problem = area.verify(file, OptionalLong.empty(), Optional.of(digest("sha256", other)),
                Optional.empty());

        assertThat(problem).hasValueSatisfying(p -> assertThat(p).contains("checksum")
                .contains(digest("sha256", content).hex()));
    }

    @Test
    void verifyTrustsAnObservedChecksumOfTheExpectedAlgorithmInsteadOfReading() throws Exception {
        byte[] content = "correct bytes".getBytes(StandardCharsets.UTF_8);
        Path file = write("f.bin", content);
        Checksum wrongObservation = digest("md5", "something else".getBytes(StandardCharsets.UTF_8));

        Optional<String> problem = area.verify(file, OptionalLong.of(content.length),
                Optional.of(digest("md5", content)), Optional.of(wrongObservation));

        // The file itself is right: only the observation can have caused this.
        assertThat(problem).hasValueSatisfying(p -> assertThat(p).contains("checksum").contains(wrongObservation.hex()));
    }

    @Test
    void verifyReadsTheFileWhenTheObservedChecksumIsOfAnotherAlgorithm() throws Exception {
        byte[] content = "correct bytes".getBytes(StandardCharsets.UTF_8);
        Path file = write("f.bin", content);
        Checksum unrelatedSha = digest("sha256", "something else".getBytes(StandardCharsets.UTF_8));

        assertThat(area.verify(file, OptionalLong.of(content.length), Optional.of(digest("md5", content)),
                Optional.of(unrelatedSha))).isEmpty();
        assertThat(area.verify(file, OptionalLong.of(content.length),
                Optional.of(digest("md5", "other".getBytes(StandardCharsets.UTF_8))), Optional.of(unrelatedSha)))
                .isPresent();
    }

    @Test
    void checksumOfMatchesPublishedVectors() throws IOException {
        Path file = write("abc", "abc".getBytes(StandardCharsets.US_ASCII));

        assertThat(StagingArea.checksumOf(file, "md5"))
                .isEqualTo(Checksum.parse("900150983cd24fb0d6963f7d28e17f72"));
        assertThat(StagingArea.checksumOf(file, "sha256"))
                .isEqualTo(Checksum.parse("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }

    // --- promote -------------------------------------------------------------------------------

    @Test
    void promoteMovesTheTemporaryFileToTheTarget() throws Exception {
        RelativePath file = path("out/result.txt");
        Path temporary = area.prepareTemporaryFile(file, TOKEN);
        Files.writeString(temporary, "staged content");

        assertThat(promote(new StagingArea.Promotion(temporary, file))).isEmpty();

        assertThat(area.target(file)).hasContent("staged content");
        assertThat(temporary).doesNotExist();
        assertThat(area.exists(file)).isTrue();
    }

    @Test
    void promoteReplacesAnExistingTarget() throws Exception {
        RelativePath file = path("out/result.txt");
        write("out/result.txt", "stale and longer content".getBytes(StandardCharsets.UTF_8));
        Path temporary = area.prepareTemporaryFile(file, TOKEN);
        Files.writeString(temporary, "fresh");

        assertThat(promote(new StagingArea.Promotion(temporary, file))).isEmpty();

        assertThat(area.target(file)).hasContent("fresh");
        assertThat(temporary).doesNotExist();
    }

    @Test
    void promoteKeepsTheTemporaryFilesInode() throws Exception {
        // An atomic rename moves the very file; a copy-and-delete would make a new one.
        RelativePath file = path("out/result.txt");
        Path temporary = area.prepareTemporaryFile(file, TOKEN);
        Files.writeString(temporary, "content");
        Object before = Files.readAttributes(temporary, java.nio.file.attribute.BasicFileAttributes.class).fileKey();

        promote(new StagingArea.Promotion(temporary, file));

        Object after = Files.readAttributes(area.target(file), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        assertThat(before).isNotNull();
        assertThat(after).isEqualTo(before);
    }

    @Test
    void promoteMovesAGroupAcrossDirectoriesAndReportsOnlyTheFileThatFailed() throws Exception {
        List<StagingArea.Promotion> group = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            RelativePath file = path("dir" + (i % 3) + "/file" + i + ".bin");
            Path temporary = area.prepareTemporaryFile(file, TOKEN);
            Files.writeString(temporary, "content " + i);
            group.add(new StagingArea.Promotion(temporary, file));
        }
        StagingArea.Promotion vanished = group.get(7);
        Files.delete(vanished.temporary());

        var failures = promote(group.toArray(StagingArea.Promotion[]::new));

        assertThat(failures).containsOnlyKeys(vanished);
        assertThat(failures.get(vanished)).isInstanceOf(NoSuchFileException.class);
        assertThat(area.exists(vanished.path())).isFalse();
        for (int i = 0; i < 20; i++) {
            if (i != 7) {
                assertThat(area.target(path("dir" + (i % 3) + "/file" + i + ".bin"))).hasContent("content " + i);
                assertThat(group.get(i).temporary()).doesNotExist();
            }
        }
    }

    @Test
    void promoteInPlaceLeavesTheCopyWhereItStands() throws Exception {
        write("out/placed.bin", "already here".getBytes(StandardCharsets.UTF_8));

        assertThat(promote(StagingArea.Promotion.inPlace(path("out/placed.bin")))).isEmpty();

        assertThat(area.target(path("out/placed.bin"))).hasContent("already here");
        assertThat(promote(StagingArea.Promotion.inPlace(path("out/missing.bin")))).hasSize(1);
    }

    private Map<StagingArea.Promotion, IOException> promote(StagingArea.Promotion... promotions)
            throws InterruptedException {
        ExecutorService flushers = Executors.newFixedThreadPool(4);
        try {
            return area.promote(List.of(promotions), flushers);
        } finally {
            flushers.shutdownNow();
        }
    }

    // --- holdsVerifiedCopy ---------------------------------------------------------------------

    @Test
    void holdsNoCopyWhenNothingIsThere() throws Exception {
        assertThat(area.holdsVerifiedCopy(path("nothing/here.txt"), OptionalLong.empty(), Optional.empty())).isFalse();
    }

    @Test
    void holdsNoCopyWhenTheSizeIsWrong() throws Exception {
        byte[] content = "content".getBytes(StandardCharsets.UTF_8);
        write("f.txt", content);

        assertThat(area.holdsVerifiedCopy(path("f.txt"), OptionalLong.of(content.length + 1),
                Optional.of(digest("md5", content)))).isFalse();
    }

    @Test
    void holdsNoCopyWhenTheChecksumIsWrong() throws Exception {
        byte[] content = "content".getBytes(StandardCharsets.UTF_8);
        write("f.txt", content);

        assertThat(area.holdsVerifiedCopy(path("f.txt"), OptionalLong.of(content.length),
                Optional.of(digest("md5", "CONTENT".getBytes(StandardCharsets.UTF_8))))).isFalse();
    }

    @Test
    void holdsNoCopyWhenTheTargetIsASymbolicLink() throws Exception {
        byte[] content = "content".getBytes(StandardCharsets.UTF_8);
        Path real = write("real.txt", content); // a correct file, but reached through a link
        Files.createSymbolicLink(area.root().resolve("link.txt"), real);

        assertThat(area.holdsVerifiedCopy(path("link.txt"), OptionalLong.of(content.length),
                Optional.of(digest("md5", content)))).isFalse();
        assertThat(area.holdsVerifiedCopy(path("real.txt"), OptionalLong.of(content.length),
                Optional.of(digest("md5", content)))).isTrue();
    }

    @Test
    void holdsNoCopyWhenTheTargetIsADirectory() throws Exception {
        Files.createDirectories(area.root().resolve("dir"));

        assertThat(area.holdsVerifiedCopy(path("dir"), OptionalLong.empty(), Optional.empty())).isFalse();
    }

    @Test
    void holdsACopyWhenSizeAndChecksumMatch() throws Exception {
        byte[] content = randomBytes(70_000, 5);
        write("a/b/f.bin", content);

        assertThat(area.holdsVerifiedCopy(path("a/b/f.bin"), OptionalLong.of(content.length),
                Optional.of(digest("sha256", content)))).isTrue();
    }

    // --- sweep ---------------------------------------------------------------------------------

    @Test
    void sweepDeletesOnlyTemporaryFilesOfDeadClaims() throws IOException {
        Path dead = area.prepareTemporaryFile(path("a/b/dead.txt"), TOKEN);
        Files.writeString(dead, "left by a crash");
        Path deadTopLevel = area.prepareTemporaryFile(path("dead2.txt"), TOKEN);
        Files.writeString(deadTopLevel, "left by a crash");
        Path live = area.prepareTemporaryFile(path("a/b/live.txt"), OTHER_TOKEN);
        Files.writeString(live, "being written");
        Path ordinary = write("a/b/dead.txt", "a staged file".getBytes(StandardCharsets.UTF_8));
        Path hidden = write("a/.profile", "an ordinary hidden file".getBytes(StandardCharsets.UTF_8));
        Path lookalike = write("notes.stagehand-part", "not hidden, no token".getBytes(StandardCharsets.UTF_8));

        int deleted = area.sweepTemporaryFiles(() -> Set.of(OTHER_TOKEN)::contains);

        assertThat(deleted).isEqualTo(2);
        assertThat(dead).doesNotExist();
        assertThat(deadTopLevel).doesNotExist();
        assertThat(live).hasContent("being written");
        assertThat(ordinary).hasContent("a staged file");
        assertThat(hidden).exists();
        assertThat(lookalike).exists();
    }

    @Test
    void sweepKeepsEverythingWhenAllClaimsAreLive() throws IOException {
        Path temporary = area.prepareTemporaryFile(path("x.txt"), TOKEN);
        Files.writeString(temporary, "being written");

        int deleted = area.sweepTemporaryFiles(() -> token -> true);

        assertThat(deleted).isZero();
        assertThat(temporary).exists();
    }

    @Test
    void sweepAsksWhichClaimsAreLiveOnlyAfterListingTheFiles() throws IOException {
        Path dead = area.prepareTemporaryFile(path("race/dead.txt"), TOKEN);
        Files.writeString(dead, "left by a crash");
        Path[] claimedMeanwhile = new Path[1];

        int deleted = area.sweepTemporaryFiles(() -> {
            // Another instance claims a file and starts writing it just as the question is asked:
            // its claim is not in the answer, but its file was not in the listing either.
            try {
                claimedMeanwhile[0] = area.prepareTemporaryFile(path("race/new.txt"), OTHER_TOKEN);
                Files.writeString(claimedMeanwhile[0], "being written");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return token -> false;
        });

        assertThat(deleted).isEqualTo(1);
        assertThat(dead).doesNotExist();
        assertThat(claimedMeanwhile[0]).hasContent("being written");
    }

    @Test
    void sweepDoesNotAskAboutClaimsWhenThereIsNothingToSweep() throws IOException {
        write("plain.txt", "a staged file".getBytes(StandardCharsets.UTF_8));

        int deleted = area.sweepTemporaryFiles(() -> {
            throw new AssertionError("asked for live claims with no temporary file to judge");
        });

        assertThat(deleted).isZero();
    }

    @Test
    void sweepPassesOverFilesAndDirectoriesThatVanishWhileItWalks() throws Exception {
        // A running peer creates, renames and deletes temporary files and their directories while
        // this instance starts: the walk must not trip over what is gone by the time it looks.
        AtomicBoolean churning = new AtomicBoolean(true);
        Thread peer = new Thread(() -> {
            for (int round = 0; churning.get(); round++) {
                Path directory = area.root().resolve("churn/d" + (round % 40));
                try {
                    Files.createDirectories(directory);
                    for (int i = 0; i < 20; i++) {
                        Files.writeString(directory.resolve("." + i + ".bin." + OTHER_TOKEN + ".stagehand-part"), "x");
                    }
                    try (Stream<Path> files = Files.list(directory)) {
                        for (Path file : files.toList()) {
                            Files.delete(file);
                        }
                    }
                    Files.delete(directory);
                } catch (IOException e) {
                    // the sweep deleted one first
                }
            }
        }, "peer");
        peer.start();
        try {
            for (int sweep = 0; sweep < 300; sweep++) {
                area.sweepTemporaryFiles(() -> token -> true);
            }
        } finally {
            churning.set(false);
            peer.join();
        }
    }

    @Test
    void catalogPathsNamedLikeTemporaryFilesAreRefused() {
        assertThat(StagingArea.temporaryNameProblem("a/.x.bin." + TOKEN + ".stagehand-part"))
                .contains("temporary files");
        assertThat(StagingArea.temporaryNameProblem(".anything.stagehand-part")).isNotNull();
        assertThat(StagingArea.temporaryNameProblem("a/x.stagehand-part")).isNull();
        assertThat(StagingArea.temporaryNameProblem(".stagehand-part/x.bin")).isNull();
        assertThat(StagingArea.temporaryNameProblem("a/.hidden")).isNull();
    }
}
