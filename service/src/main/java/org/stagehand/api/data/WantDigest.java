package org.stagehand.api.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.Adler32;
import org.stagehand.backend.Checksum;

/**
 * RFC 3230 instance digests: which of the algorithms a {@code Want-Digest} asks for this door
 * gives (adler32, md5; names in any case, as gfal2 sends {@code ADLER32} and {@code MD5}), and the
 * {@code Digest} value of a file.
 */
final class WantDigest {

    private WantDigest() {
    }

    /** The algorithm to answer, {@code adler32} or {@code md5}: the one with the highest q; empty if none. */
    static Optional<String> choose(String wantDigest) {
        if (wantDigest == null) {
            return Optional.empty();
        }
        String best = null;
        double bestQ = 0;
        for (String part : wantDigest.split(",")) {
            String[] pieces = part.trim().split(";");
            String name = pieces[0].trim().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < pieces.length; i++) {
                String parameter = pieces[i].trim().toLowerCase(Locale.ROOT);
                if (parameter.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(parameter.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if ((name.equals("adler32") || name.equals("md5")) && q > bestQ) {
                best = name;
                bestQ = q;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The {@code Digest} header's value for a file: {@code adler32=<8 hex digits>} or
     * {@code md5=<base64>}. A catalog MD5 is used as it is (the copy was verified against it).
     */
    static String of(String algorithm, Path file, Optional<Checksum> catalog) throws IOException {
        if (algorithm.equals("md5")) {
            byte[] md5 = catalog.filter(known -> known.algorithm().equals("md5"))
                    .map(known -> java.util.HexFormat.of().parseHex(known.hex()))
                    .orElse(null);
            if (md5 == null) {
                MessageDigest digest = Checksum.newDigest("md5");
                read(file, (buffer, length) -> digest.update(buffer, 0, length));
                md5 = digest.digest();
            }
            return "md5=" + Base64.getEncoder().encodeToString(md5);
        }
        Adler32 adler = new Adler32();
        read(file, (buffer, length) -> adler.update(buffer, 0, length));
        return "adler32=" + String.format("%08x", adler.getValue());
    }

    private interface Sink {
        void accept(byte[] buffer, int length);
    }

    private static void read(Path file, Sink sink) throws IOException {
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sink.accept(buffer, n);
            }
        }
    }
}
