package org.stagehand.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.stagehand.area.RelativePath;

/**
 * The names of catalog files in the WLCG Tape REST door and the data door (both serve files as
 * {@code /archive/<path>}): {@code pathPrefix + P} for the file whose catalog path is
 * P, percent-encoded as in a URL. Names are echoed as the client sent them, with only runs of
 * slashes collapsed (what gfal2 sends and matches answers against); they are decoded for lookup.
 */
public final class ArchivePaths {

    private final String prefix;

    /** @param prefix the configured {@code tapeRest.pathPrefix}, starting and ending with '/' */
    public ArchivePaths(String prefix) {
        this.prefix = collapse(prefix);
    }

    /** The path with every run of slashes made one. */
    public static String collapse(String path) {
        if (path.indexOf("//") < 0) {
            return path;
        }
        StringBuilder collapsed = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c != '/' || collapsed.length() == 0 || collapsed.charAt(collapsed.length() - 1) != '/') {
                collapsed.append(c);
            }
        }
        return collapsed.toString();
    }

    /** A name's catalog path, or why it names none. */
    public record Mapped(RelativePath stagingPath, String refusal) {
    }

    /** The catalog path a (collapsed) name stands for. */
    public Mapped map(String name) {
        if (!name.startsWith(prefix)) {
            return new Mapped(null, "'" + name + "' is outside this site's namespace, which starts with " + prefix);
        }
        String decoded = decode(name.substring(prefix.length()));
        if (decoded == null) {
            return new Mapped(null, "'" + name + "' is not a valid percent-encoded UTF-8 path");
        }
        try {
            return new Mapped(new RelativePath(decoded), null); // checked once, by the constructor
        } catch (IllegalArgumentException problem) {
            return new Mapped(null, "'" + name + "' is not a file path: " + problem.getMessage().replace(decoded, name));
        }
    }

    /** The name a catalog path has in this API (encoded as a URL path). */
    String nameOf(RelativePath path) {
        StringBuilder name = new StringBuilder(prefix);
        for (byte b : path.value().getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "/-._~".indexOf(c) >= 0) {
                name.append((char) c);
            } else {
                name.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return name.toString();
    }

    /** Percent-decodes as UTF-8 ({@code +} stays {@code +}: this is a path); null when malformed. */
    static String decode(String encoded) {
        if (encoded.indexOf('%') < 0) {
            return encoded;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    return null;
                }
                int high = Character.digit(encoded.charAt(i + 1), 16);
                int low = Character.digit(encoded.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else {
                int next = encoded.indexOf('%', i);
                int end = next < 0 ? encoded.length() : next;
                byte[] utf8 = encoded.substring(i, end).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
                i = end - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
