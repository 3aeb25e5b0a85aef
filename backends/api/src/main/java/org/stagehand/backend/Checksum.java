package org.stagehand.backend;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A file's expected or observed checksum.
 *
 * <p>The text form is {@code <algorithm>:<hex>}, e.g. {@code md5:9e107d9d372bb6826bd81d3542a419d6}.
 * {@link #parse} also accepts bare 32-digit hex as MD5, the DTS's default.
 *
 * @param algorithm {@code md5} or {@code sha256}
 * @param hex lower-case hexadecimal digest
 */
public record Checksum(String algorithm, String hex) {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

    public Checksum {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(hex, "hex");
        algorithm = algorithm.toLowerCase(Locale.ROOT);
        hex = hex.toLowerCase(Locale.ROOT);
        int expectedLength = switch (algorithm) {
            case "md5" -> 32;
            case "sha256" -> 64;
            default -> throw new IllegalArgumentException(
                    "unsupported checksum algorithm '" + algorithm + "' (md5 and sha256 are supported)");
        };
        if (hex.length() != expectedLength || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException(
                    "a " + algorithm + " checksum has " + expectedLength + " hex digits, not '" + hex + "'");
        }
    }

    /**
     * Parses {@code md5:<hex>}, {@code sha256:<hex>} or bare MD5 hex.
     *
     * @throws IllegalArgumentException when the text is none of these
     */
    public static Checksum parse(String text) {
        Objects.requireNonNull(text, "text");
        String trimmed = text.trim();
        int colon = trimmed.indexOf(':');
        if (colon < 0) {
            return new Checksum("md5", trimmed);
        }
        return new Checksum(trimmed.substring(0, colon), trimmed.substring(colon + 1));
    }

    /** Computes the checksum of {@code digest}'s input in this checksum's algorithm. */
    public static Checksum of(String algorithm, MessageDigest digest) {
        return new Checksum(algorithm, HexFormat.of().formatHex(digest.digest()));
    }

    /** A fresh digest for this checksum's algorithm. */
    public MessageDigest newDigest() {
        return newDigest(algorithm);
    }

    /** A fresh digest for {@code md5} or {@code sha256}. */
    public static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(switch (algorithm) {
                case "md5" -> "MD5";
                case "sha256" -> "SHA-256";
                default -> throw new IllegalArgumentException("unsupported checksum algorithm " + algorithm);
            });
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks " + algorithm, e);
        }
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
