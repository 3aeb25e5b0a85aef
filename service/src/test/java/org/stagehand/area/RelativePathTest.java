package org.stagehand.area;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RelativePathTest {

    private static void assertRefused(String value, String reasonFragment) {
        assertThatThrownBy(() -> new RelativePath(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reasonFragment);
        assertThat(RelativePath.problemWith(value)).contains(reasonFragment);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b\ud800", "\udc00/x", "a\ud800\ud800b"})
    void refusesALoneSurrogate(String value) {
        assertRefused(value, "not valid Unicode");
    }

    @Test
    void acceptsAPairedSurrogate() {
        assertThat(RelativePath.problemWith("genomes/\ud83e\uddec.fasta")).isNull();
    }

    @Test
    void refusesEmptyPath() {
        assertRefused("", "empty");
    }

    @Test
    void refusesNull() {
        assertThatThrownBy(() -> new RelativePath(null)).isInstanceOf(NullPointerException.class);
        assertThat(RelativePath.problemWith(null)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "/", "//server/share", "/a/b"})
    void refusesAbsolutePath(String value) {
        assertRefused(value, "absolute");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../a", "a/..", "a/../b", "a/b/../../..", "a/b/.."})
    void refusesPathWithDotDotSegment(String value) {
        assertRefused(value, "..");
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "./a", "a/.", "a/./b"})
    void refusesPathWithDotSegment(String value) {
        assertThatThrownBy(() -> new RelativePath(value)).isInstanceOf(IllegalArgumentException.class);
        assertThat(RelativePath.problemWith(value)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a//b", "a/b//c.txt"})
    void refusesPathWithEmptySegment(String value) {
        assertThatThrownBy(() -> new RelativePath(value)).isInstanceOf(IllegalArgumentException.class);
        assertThat(RelativePath.problemWith(value)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/", "a/b/", "a//"})
    void refusesTrailingSlash(String value) {
        assertThatThrownBy(() -> new RelativePath(value)).isInstanceOf(IllegalArgumentException.class);
        assertThat(RelativePath.problemWith(value)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\0b", "\0", "dir/file.txt\0.jpg"})
    void refusesNulCharacter(String value) {
        assertRefused(value, "NUL");
    }

    @Test
    void refusesPathLongerThanTheMaximum() {
        String tooLong = "d/".repeat(RelativePath.MAX_LENGTH / 2) + "f"; // MAX_LENGTH + 1 characters

        assertThat(tooLong).hasSize(RelativePath.MAX_LENGTH + 1);
        assertRefused(tooLong, "longer");
    }

    @Test
    void acceptsPathOfExactlyTheMaximumLength() {
        String longest = "d/".repeat(RelativePath.MAX_LENGTH / 2 - 1) + "ff";

        assertThat(longest).hasSize(RelativePath.MAX_LENGTH);
        assertThat(new RelativePath(longest).value()).isEqualTo(longest);
    }

    @ParameterizedTest
    @ValueSource(strings = {"file.txt", "a/b", "genomes/ecoli/k12.fasta", "a/b/c/d/e/f/g/h.dat"})
    void acceptsNestedPaths(String value) {
        RelativePath path = new RelativePath(value);

        assertThat(path.value()).isEqualTo(value);
        assertThat(path.toString()).isEqualTo(value);
        assertThat(RelativePath.problemWith(value)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {".hidden", "a/.hidden", "...", "a/..b", "a/b..", "v1.2..3/x", "with space/and,comma"})
    void acceptsSegmentsThatMerelyContainDots(String value) {
        assertThat(new RelativePath(value).value()).isEqualTo(value);
        assertThat(RelativePath.problemWith(value)).isNull();
    }
}
