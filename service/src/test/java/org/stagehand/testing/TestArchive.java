package org.stagehand.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Builds an archive directory of random files and the Frictionless data package that catalogs
 * them, for tests.
 */
public final class TestArchive {

    private final Path root;
    private final Random random = new Random(42);
    private final Map<String, ObjectNode> resources = new LinkedHashMap<>();
    private final ObjectMapper mapper = new ObjectMapper();

    public TestArchive(Path root) throws IOException {
        this.root = Files.createDirectories(root);
    }

    public Path root() {
        return root;
    }

    /** Adds a file of random bytes at {@code path}, cataloged with its size and MD5. */
    public TestArchive file(String id, String path, int size) throws IOException {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        ObjectNode resource = mapper.createObjectNode();
        resource.put("id", id);
        resource.put("path", path);
        resource.put("bytes", size);
        resource.put("hash", md5(bytes));
        resources.put(id, resource);
        return this;
    }

    /** Catalogs a file that is not in the archive. */
    public TestArchive missingFile(String id, String path) {
        ObjectNode resource = mapper.createObjectNode();
        resource.put("id", id);
        resource.put("path", path);
        resources.put(id, resource);
        return this;
    }

    /** Records a file's SHA-256 instead of its MD5. */
    public TestArchive sha256Only(String id) throws IOException {
        byte[] bytes = bytes(resources.get(id).get("path").asText());
        try {
            resources.get(id).put("hash", "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** Records a wrong checksum for a file already added. */
    public TestArchive wrongChecksum(String id) {
        resources.get(id).put("hash", "md5:" + "0".repeat(32));
        return this;
    }

    /**
     * Records {@code archive_path} for a file already added: where the backend finds it, e.g. an
     * upstream file ID, when that differs from its staging path.
     */
    public TestArchive archivePath(String id, String archivePath) {
        resources.get(id).put("archive_path", archivePath);
        return this;
    }

    /** The bytes of a file as the archive holds them. */
    public byte[] bytes(String path) throws IOException {
        return Files.readAllBytes(root.resolve(path));
    }

    /** Writes the data package to {@code file} and returns it. */
    public Path writeCatalog(Path file) throws IOException {
        ObjectNode dataPackage = mapper.createObjectNode();
        dataPackage.put("name", "test-archive");
        ArrayNode array = dataPackage.putArray("resources");
        resources.values().forEach(array::add);
        Files.createDirectories(file.getParent());
        mapper.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), dataPackage);
        return file;
    }

    public static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
