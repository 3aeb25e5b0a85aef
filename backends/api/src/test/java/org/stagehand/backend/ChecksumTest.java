package org.stagehand.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChecksumTest {

    /** Published test vectors (RFC 1321 and FIPS 180-2) for the message "abc". */
    private static final String MD5_ABC = "900150983cd24fb0d6963f7d28e17f72";
    private static final String SHA256_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);

    @Test
    void parsesBareThirtyTwoHexDigitsAsMd5() {
        Checksum checksum = Checksum.parse(MD5_ABC);

        assertThat(checksum.algorithm()).isEqualTo("md5");
        assertThat(checksum.hex()).isEqualTo(MD5_ABC);
    }

    @Test
    void parsesMd5PrefixedForm() {
        Checksum checksum = Checksum.parse("md5:" + MD5_ABC);

        assertThat(checksum.algorithm()).isEqualTo("md5");
        assertThat(checksum.hex()).isEqualTo(MD5_ABC);
        assertThat(checksum).isEqualTo(Checksum.parse(MD5_ABC));
    }

    @Test
    void parsesSha256PrefixedForm() {
        Checksum checksum = Checksum.parse("sha256:" + SHA256_ABC);

        assertThat(checksum.algorithm()).isEqualTo("sha256");
        assertThat(checksum.hex()).isEqualTo(SHA256_ABC);
    }

    @Test
    void normalisesUpperCaseHexAndAlgorithmToLowerCase() {
        Checksum md5 = Checksum.parse("MD5:" + MD5_ABC.toUpperCase());
        Checksum bare = Checksum.parse(MD5_ABC.toUpperCase());
        Checksum sha = Checksum.parse("SHA256:" + SHA256_ABC.toUpperCase());

        assertThat(md5.algorithm()).isEqualTo("md5");
        assertThat(md5.hex()).isEqualTo(MD5_ABC);
        assertThat(bare.hex()).isEqualTo(MD5_ABC);
        assertThat(sha.algorithm()).isEqualTo("sha256");
        assertThat(sha.hex()).isEqualTo(SHA256_ABC);
        assertThat(md5).isEqualTo(Checksum.parse("md5:" + MD5_ABC));
    }

    @Test
    void ignoresSurroundingWhitespace() {
        assertThat(Checksum.parse("  md5:" + MD5_ABC + "\n")).isEqualTo(new Checksum("md5", MD5_ABC));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "900150983cd24fb0d6963f7d28e17f7", // 31 digits
        "900150983cd24fb0d6963f7d28e17f72a", // 33 digits
        "md5:900150983cd24fb0d6963f7d28e17f7",
        "md5:" + SHA256_ABC, // a SHA-256 length under the md5 label
        SHA256_ABC, // bare text is MD5, so 64 digits are wrong
        "sha256:" + MD5_ABC, // an MD5 length under the sha256 label
        "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a",
        "",
        "md5:",
    })
    void refusesWrongLength(String text) {
        assertThatThrownBy(() -> Checksum.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "900150983cd24fb0d6963f7d28e17g72", // 'g'
        "md5:900150983cd24fb0d6963f7d28e17f7z",
        "md5:900150983cd24fb0d6963f7d28e1 f72",
        "md5:-00150983cd24fb0d6963f7d28e17f72",
        "sha256:xa7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    })
    void refusesNonHexDigits(String text) {
        assertThatThrownBy(() -> Checksum.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "sha1:a9993e364706816aba3e25717850c26c9cd0d89d",
        "crc32:352441c2",
        "sha512:" + SHA256_ABC + SHA256_ABC,
        ":" + MD5_ABC,
    })
    void refusesUnknownAlgorithm(String text) {
        assertThatThrownBy(() -> Checksum.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("algorithm");
    }

    @Test
    void textFormRoundTripsThroughParse() {
        Checksum md5 = Checksum.parse(MD5_ABC);
        Checksum sha = Checksum.parse("SHA256:" + SHA256_ABC.toUpperCase());

        assertThat(md5.toString()).isEqualTo("md5:" + MD5_ABC);
        assertThat(sha.toString()).isEqualTo("sha256:" + SHA256_ABC);
        assertThat(Checksum.parse(md5.toString())).isEqualTo(md5);
        assertThat(Checksum.parse(sha.toString())).isEqualTo(sha);
    }

    @Test
    void md5DigestComputesPublishedVector() {
        MessageDigest digest = Checksum.parse(MD5_ABC).newDigest();
        digest.update(ABC);

        assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(MD5_ABC);
    }

    @Test
    void sha256DigestComputesPublishedVector() {
        MessageDigest digest = Checksum.parse("sha256:" + SHA256_ABC).newDigest();
        digest.update(ABC);

        assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(SHA256_ABC);
    }

    @Test
    void newDigestIsFreshEachTime() {
        Checksum checksum = Checksum.parse(MD5_ABC);
        MessageDigest first = checksum.newDigest();
        first.update("something else".getBytes(StandardCharsets.US_ASCII));

        MessageDigest second = checksum.newDigest();
        second.update(ABC);

        assertThat(second).isNotSameAs(first);
        assertThat(HexFormat.of().formatHex(second.digest())).isEqualTo(MD5_ABC);
    }

    @Test
    void ofBuildsChecksumFromDigestInput() {
        MessageDigest md5 = Checksum.newDigest("md5");
        md5.update(ABC);
        MessageDigest sha = Checksum.newDigest("sha256");
        sha.update(ABC);

        assertThat(Checksum.of("md5", md5)).isEqualTo(new Checksum("md5", MD5_ABC));
        assertThat(Checksum.of("sha256", sha)).isEqualTo(new Checksum("sha256", SHA256_ABC));
    }

    @Test
    void newDigestRefusesUnknownAlgorithm() {
        assertThatThrownBy(() -> Checksum.newDigest("sha1")).isInstanceOf(IllegalArgumentException.class);
    }
}
