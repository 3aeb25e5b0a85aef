package org.stagehand.area;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.backend.support.StagingRootGuard;

/**
 * Every change the staging area makes below its root goes through {@link StagingRootGuard}: a
 * directory replaced by a link out of the root is never deleted, written or read through.
 */
class StagingRootGuardTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final String PRECIOUS = "someone else's file";

    @TempDir
    Path base;

    private StagingArea area;
    private Path outside;

    @BeforeEach
    void openArea() throws IOException {
        area = StagingArea.open(Files.createDirectory(base.resolve("staging")), false);
        outside = Files.createDirectory(base.resolve("outside"));
        Files.writeString(outside.resolve("f.txt"), PRECIOUS);
    }

    /** Stands {@code ev/f.txt} in the area, then swaps the directory {@code ev} for a link to {@code outside}. */
    private void linkOutInPlaceOf(String directory) throws IOException {
        Path real = Files.createDirectories(area.root().resolve(directory));
        Files.writeString(real.resolve("f.txt"), "staged copy");
        Files.move(real, base.resolve("moved-away"));
        Files.createSymbolicLink(area.root().resolve(directory), outside);
    }

    @Test
    void removeCopyDoesNotDeleteThroughALinkOutOfTheRoot() throws IOException {
        linkOutInPlaceOf("ev");

        assertThatThrownBy(() -> area.removeCopy(new RelativePath("ev/f.txt")))
                .isInstanceOf(StagingRootGuard.OutsideRootException.class)
                .hasMessage("'ev' is a symbolic link leading out of the staging root");
        assertThat(outside.resolve("f.txt")).hasContent(PRECIOUS);
    }

    @Test
    void removeCopyRefusesALinkDeeperDown() throws IOException {
        Files.createDirectories(area.root().resolve("a/b"));
        linkOutInPlaceOf("a/b/c");

        assertThatThrownBy(() -> area.removeCopy(new RelativePath("a/b/c/f.txt")))
                .hasMessageContaining("'a/b/c' is a symbolic link leading out");
        assertThat(outside.resolve("f.txt")).hasContent(PRECIOUS);
    }

    @Test
    void removeCopyFollowsALinkThatStaysInsideTheRoot() throws IOException {
        Path real = Files.createDirectories(area.root().resolve("real"));
        Files.writeString(real.resolve("f.txt"), "copy");
        Files.createSymbolicLink(area.root().resolve("alias"), real);

        area.removeCopy(new RelativePath("alias/f.txt"));

        assertThat(real.resolve("f.txt")).doesNotExist();
    }

    @Test
    void discardDoesNotDeleteThroughALinkOutOfTheRoot() throws IOException {
        Path temporary = area.prepareTemporaryFile(new RelativePath("ev/f.txt"), TOKEN);
        Files.writeString(temporary, "partial");
        Files.writeString(outside.resolve(temporary.getFileName().toString()), PRECIOUS);
        linkOutInPlaceOf("ev");

        area.discard(temporary);

        assertThat(outside.resolve(temporary.getFileName().toString())).hasContent(PRECIOUS);
    }

    @Test
    void sweepDoesNotDeleteThroughALinkOutOfTheRoot() throws IOException {
        Files.writeString(outside.resolve("." + "f.txt." + TOKEN + ".stagehand-part"), PRECIOUS);
        Files.createSymbolicLink(area.root().resolve("ev"), outside);

        assertThat(area.sweepTemporaryFiles(() -> token -> false)).isZero();
        assertThat(outside.resolve("." + "f.txt." + TOKEN + ".stagehand-part")).hasContent(PRECIOUS);
    }

    @Test
    void promotionDoesNotMoveThroughALinkOutOfTheRoot() throws Exception {
        Path temporary = area.prepareTemporaryFile(new RelativePath("ev/f.txt"), TOKEN);
        Files.writeString(temporary, "verified copy");
        // The same name stands outside, so a rename through the link would overwrite f.txt there.
        Files.writeString(outside.resolve(temporary.getFileName().toString()), "planted");
        linkOutInPlaceOf("ev");

        StagingArea.Promotion promotion = new StagingArea.Promotion(temporary, new RelativePath("ev/f.txt"));
        Map<StagingArea.Promotion, IOException> failures = area.promote(List.of(promotion), Runnable::run);

        assertThat(failures).containsKey(promotion);
        assertThat(failures.get(promotion)).hasMessageNotContaining(base.toString());
        assertThat(outside.resolve("f.txt")).hasContent(PRECIOUS);
    }

    @Test
    void noCopyIsSeenOrReadThroughALinkOutOfTheRoot() throws IOException {
        linkOutInPlaceOf("ev");
        byte[] content = PRECIOUS.getBytes(StandardCharsets.UTF_8);

        assertThat(area.exists(new RelativePath("ev/f.txt"))).isFalse();
        assertThat(area.holdsVerifiedCopy(new RelativePath("ev/f.txt"), OptionalLong.of(content.length),
                Optional.empty())).isFalse();
    }

    @Test
    void aDanglingLinkIsNotFollowed() throws IOException {
        Files.createSymbolicLink(area.root().resolve("ev"), base.resolve("nowhere"));

        assertThatThrownBy(() -> area.prepareTemporaryFile(new RelativePath("ev/f.txt"), TOKEN))
                .hasMessageContaining("'ev' is a symbolic link to nothing");
        assertThat(base.resolve("nowhere")).doesNotExist();
    }
}
