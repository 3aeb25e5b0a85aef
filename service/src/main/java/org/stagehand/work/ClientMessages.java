package org.stagehand.work;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a file's error, as a backend or the service wrote it for the log, into what clients may
 * see in a status's {@code errors[].message} and a file's {@code error}: paths relative to the
 * staging or archive root, no other server path, and plain words instead of Java exception class
 * names. Every error a client can see is recorded through here; the full text stays in the log,
 * on the line that carries the file's ID.
 */
public final class ClientMessages {

    /** Exception classes that say something a client can use, in plain words; the rest read "error". */
    private static final Map<String, String> WORDS = Map.ofEntries(
            Map.entry("NoSuchFileException", "no such file"),
            Map.entry("FileNotFoundException", "no such file"),
            Map.entry("AccessDeniedException", "permission denied"),
            Map.entry("FileAlreadyExistsException", "already exists"),
            Map.entry("NotDirectoryException", "not a directory"),
            Map.entry("DirectoryNotEmptyException", "directory not empty"),
            Map.entry("AtomicMoveNotSupportedException", "cannot rename atomically"),
            Map.entry("FileSystemException", "file system error"),
            Map.entry("IOException", "I/O error"),
            Map.entry("UncheckedIOException", "I/O error"),
            Map.entry("EOFException", "unexpected end of data"),
            Map.entry("OutsideRootException", "outside the root"),
            Map.entry("SocketTimeoutException", "timed out"),
            Map.entry("HttpTimeoutException", "timed out"),
            Map.entry("TimeoutException", "timed out"),
            Map.entry("ConnectException", "connection refused"),
            Map.entry("UnknownHostException", "unknown host"),
            Map.entry("SSLHandshakeException", "TLS handshake failed"),
            Map.entry("InterruptedException", "interrupted"),
            Map.entry("OutOfMemoryError", "out of memory"));
    /** {@code java.nio.file.NoSuchFileException} or a bare {@code NoSuchFileException}, with its colon. */
    private static final Pattern EXCEPTION = Pattern.compile(
            "(?:\\b[a-z_$][\\w$]*\\.)*\\b([A-Z][\\w$]*(?:Exception|Error))\\b(?:\\$\\w+)*(:\\s*)?");
    /** An absolute path that is not part of a URL ({@code http://host/x}) or a relative path ({@code a/b}). */
    private static final Pattern ABSOLUTE_PATH = Pattern.compile("(?<![\\w.:/~%-])/[^\\s'\"(),;<>\\[\\]]+");
    private static final int MAX_LENGTH = 4000;

    private final List<Root> roots;

    private record Root(String prefix, String name) {
    }

    /**
     * @param stagingRoot the staging root, shown as paths relative to it
     * @param archiveRoots the archive's roots, if it has any on a file system; shown the same way
     */
    public ClientMessages(Path stagingRoot, List<String> archiveRoots) {
        List<Root> all = new ArrayList<>();
        all.add(new Root(stripSlash(stagingRoot.toString()), "the staging area"));
        for (String root : archiveRoots) {
            if (root != null && root.startsWith("/") && !stripSlash(root).isEmpty()) {
                all.add(new Root(stripSlash(root), "the archive"));
            }
        }
        all.sort(Comparator.comparingInt((Root root) -> root.prefix().length()).reversed());
        this.roots = List.copyOf(all);
    }

    /**
     * The archive roots of a backend's configuration: its {@code root} or {@code archiveRoot}
     * (posix, hsm, hpss), read from the configuration as Jackson sees it, so that no backend
     * needs to tell.
     */
    public static List<String> archiveRootsOf(Object backendFactory, ObjectMapper mapper) {
        List<String> roots = new ArrayList<>();
        try {
            JsonNode tree = mapper.valueToTree(backendFactory);
            for (String key : List.of("root", "archiveRoot")) {
                JsonNode value = tree.get(key);
                if (value != null && value.isTextual()) {
                    roots.add(value.asText());
                    roots.add(Path.of(value.asText()).toAbsolutePath().normalize().toString());
                }
            }
        } catch (IllegalArgumentException e) { // InvalidPathException too
            // a backend whose configuration cannot be read back: its paths are shortened below
        }
        return roots;
    }

    /** What a client may see of {@code message}. */
    public String forClients(String message) {
        if (message == null) {
            return null;
        }
        String text = message;
        for (Root root : roots) {
            String quoted = "(?<![\\w./-])" + Pattern.quote(root.prefix());
            text = text.replaceAll(quoted + "/", "")
                    .replaceAll(quoted + "(?![\\w./-])", Matcher.quoteReplacement(root.name()));
        }
        text = ABSOLUTE_PATH.matcher(text).replaceAll(match -> {
            String trimmed = stripSlash(match.group());
            return Matcher.quoteReplacement(trimmed.substring(trimmed.lastIndexOf('/') + 1));
        });
        text = EXCEPTION.matcher(text).replaceAll(match -> {
            String words = WORDS.getOrDefault(match.group(1), "error");
            return match.group(2) == null ? words : words + ": ";
        });
        return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH - 3) + "...";
    }

    private static String stripSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
