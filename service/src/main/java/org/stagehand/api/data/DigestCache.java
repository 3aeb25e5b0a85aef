package org.stagehand.api.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.stagehand.backend.Checksum;

/**
 * The {@code Digest} values of staged copies, computed once per copy: gfal2 asks for the checksum
 * with a HEAD right after staging, and FTS again after the transfer, and reading a large copy for
 * each would cost a full read every time. A copy is known by its place and its identity (file key,
 * size, modification time): a copy staged again is a new file, so it gets a digest of its own.
 * Bounded, least recently used out first.
 */
final class DigestCache {

    private record Key(String path, Object fileKey, long size, long modifiedMillis, String algorithm) {
    }

    private final Map<Key, String> digests;

    DigestCache(int maxEntries) {
        this.digests = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, String> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** {@link WantDigest#of}, read from the copy only the first time this copy is asked for. */
    String digest(String algorithm, Path file, Optional<Checksum> catalog) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        Key key = new Key(file.toString(), attributes.fileKey(), attributes.size(),
                attributes.lastModifiedTime().toMillis(), algorithm);
        synchronized (digests) {
            String known = digests.get(key);
            if (known != null) {
                return known;
            }
        }
        // computed outside the lock: one large copy must not hold up HEADs of other copies
        String computed = WantDigest.of(algorithm, file, catalog);
        synchronized (digests) {
            digests.put(key, computed);
        }
        return computed;
    }
}
