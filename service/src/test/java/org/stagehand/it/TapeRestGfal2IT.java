package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stagehand.testing.Gfal2.op;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.Adler32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.testing.Gfal2;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;
import org.stagehand.testing.TestTokens;

/**
 * The WLCG Tape REST door and the data door driven by the real gfal2, the library under FTS:
 * discovery, bring-online of hundreds of files with overlaps between requests, polls to the end,
 * {@code user.status}, stat, checksums and a checked copy through the data door, abort, release,
 * tokens, and a restart between stage and poll.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TapeRestGfal2IT {

    private static final String TOKEN = "gfal2-it-token-7Qm2";
    private static final int EAGAIN = 11;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Path directory;
    private TestArchive archive;
    private StagehandTestApp app;
    private final Gfal2 gfal2 = Gfal2.withToken(TOKEN);
    private final TestTokens issuer = TestTokens.issuer("gfal2-it-key");

    @BeforeAll
    void start(@TempDir Path directory) throws Exception {
        Gfal2.assumeInstalled();
        this.directory = directory;
        archive = new TestArchive(directory.resolve("archive"));
        for (int i = 0; i < 300; i++) {
            archive.file("bulk-" + i, String.format("bulk/f-%03d.bin", i), 50 + i);
        }
        archive.file("copy", "copy/data file.bin", 100_000)
                .file("fresh", "xattr/fresh.bin", 10)
                .file("abort-a", "abort/a.bin", 10)
                .file("abort-b", "abort/b.bin", 10)
                .file("release", "release/r.bin", 10)
                .file("restart", "restart/x.bin", 10)
                .file("jwt", "jwt/j.bin", 5_000)
                .file("slashes", "slashes/s.bin", 3_000);
        issuer.writeKeySet(directory.resolve("jwks.json"));
        app = startApp();
    }

    private StagehandTestApp startApp() throws Exception {
        return new StagehandTestApp(StagehandTestApp.overrides(TestDatabase.h2(directory.resolve("db")),
                directory.resolve("staging"), archive.root(), archive.writeCatalog(directory.resolve("catalog.json")),
                ConfigOverride.config("auth.tokenSha256", HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(TOKEN.getBytes()))),
                ConfigOverride.config("auth.jwt.jwksFile", directory.resolve("jwks.json").toString()),
                ConfigOverride.config("auth.jwt.issuers", TestTokens.ISSUER),
                ConfigOverride.config("auth.jwt.audiences", TestTokens.AUDIENCE),
                ConfigOverride.config("tapeRest.enabled", "true"),
                ConfigOverride.config("dataDoor.enabled", "true"))).start();
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + app.port() + "/archive/" + path;
    }

    private List<String> urls(IntStream indexes) {
        return indexes.mapToObj(i -> url(String.format("bulk/f-%03d.bin", i))).toList();
    }

    /** Polls with gfal2 until no file answers EAGAIN; returns the last errors, one per URL. */
    private JsonNode pollUntilSettled(String token, List<String> urls) throws Exception {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (true) {
            JsonNode errors = gfal2.one(op("poll", urls).put("token", token)).get("errors");
            boolean pending = false;
            for (JsonNode error : errors) {
                pending |= error.isObject() && error.get("code").asInt() == EAGAIN;
            }
            if (!pending || Instant.now().isAfter(deadline)) {
                return errors;
            }
            Thread.sleep(200);
        }
    }

    @Test
    void gfal2StagesHundredsOfFilesInOverlappingRequestsAndFailsOnlyTheUnknownOnes() throws Exception {
        List<String> first = urls(IntStream.range(0, 200));
        List<String> second = new ArrayList<>(urls(IntStream.range(100, 300)));
        second.add(url("bulk/no-such-file.bin"));
        second.add("http://127.0.0.1:" + app.port() + "/elsewhere/f.bin");

        JsonNode results = gfal2.run(op("bring_online", first), op("bring_online", second));
        String firstToken = results.get(0).get("token").asText();
        String secondToken = results.get(1).get("token").asText();
        assertThat(results.get(0).get("errors")).allMatch(JsonNode::isNull);
        assertThat(results.get(1).get("errors")).allMatch(JsonNode::isNull);

        assertThat(pollUntilSettled(firstToken, first)).allMatch(JsonNode::isNull);
        JsonNode errors = pollUntilSettled(secondToken, second);
        for (int i = 0; i < 200; i++) {
            assertThat(errors.get(i).isNull()).as("file %d", i).isTrue();
        }
        assertThat(errors.get(200).get("message").asText()).startsWith("[Tape REST API] ").contains("no such file");
        assertThat(errors.get(201).get("message").asText()).startsWith("[Tape REST API] ").contains("outside");
        assertThat(errors.get(200).get("code").asInt()).isNotEqualTo(EAGAIN);
        assertThat(Files.readAllBytes(directory.resolve("staging/bulk/f-299.bin"))).isEqualTo(archive.bytes("bulk/f-299.bin"));
    }

    @Test
    void userStatusIsNearlineBeforeStagingAndOnlineAndNearlineAfter() throws Exception {
        String fresh = url("xattr/fresh.bin");
        assertThat(gfal2.one(op("getxattr").put("url", fresh).put("name", "user.status")).get("value").asText())
                .isEqualTo("NEARLINE");

        String token = gfal2.one(op("bring_online", List.of(fresh))).get("token").asText();
        assertThat(pollUntilSettled(token, List.of(fresh))).allMatch(JsonNode::isNull);

        assertThat(gfal2.one(op("getxattr").put("url", fresh).put("name", "user.status")).get("value").asText())
                .isEqualTo("ONLINE_AND_NEARLINE");
    }

    @Test
    void gfal2StatsChecksumsAndCopiesAStagedFileThroughTheDataDoor() throws Exception {
        String source = url("copy/data%20file.bin");
        String token = gfal2.one(op("bring_online", List.of(source))).get("token").asText();
        assertThat(pollUntilSettled(token, List.of(source))).allMatch(JsonNode::isNull);
        byte[] bytes = archive.bytes("copy/data file.bin");
        Adler32 adler = new Adler32();
        adler.update(bytes);
        Path copy = directory.resolve("copied.bin");

        JsonNode results = gfal2.run(op("stat").put("url", source),
                op("checksum").put("url", source).put("algorithm", "ADLER32"),
                op("checksum").put("url", source).put("algorithm", "MD5"),
                op("copy").put("url", source).put("destination", copy.toUri().toString()).put("checksum", "ADLER32"));

        assertThat(results.get(0).get("size").asLong()).isEqualTo(bytes.length);
        assertThat(results.get(1).get("value").asText()).isEqualTo(String.format("%08x", adler.getValue()));
        assertThat(results.get(2).get("value").asText()).isEqualTo(TestArchive.md5(bytes));
        assertThat(results.get(3).has("error")).as(results.get(3).toString()).isFalse();
        assertThat(Files.readAllBytes(copy)).isEqualTo(bytes);
    }

    @Test
    void aUrlWithDoubleSlashesAsRucioWritesItIsStagedStatedChecksummedAndCopied() throws Exception {
        // gfal2 collapses the slashes in the Tape REST calls, and sends them as written to the data door
        String source = "http://127.0.0.1:" + app.port() + "//archive//slashes/s.bin";
        String token = gfal2.one(op("bring_online", List.of(source))).get("token").asText();
        assertThat(pollUntilSettled(token, List.of(source))).allMatch(JsonNode::isNull);
        byte[] bytes = archive.bytes("slashes/s.bin");
        Adler32 adler = new Adler32();
        adler.update(bytes);
        Path copy = directory.resolve("copied-slashes.bin");

        JsonNode results = gfal2.run(op("stat").put("url", source),
                op("checksum").put("url", source).put("algorithm", "ADLER32"),
                op("copy").put("url", source).put("destination", copy.toUri().toString()).put("checksum", "ADLER32"));

        assertThat(results.get(0).path("size").asLong()).as(results.get(0).toString()).isEqualTo(bytes.length);
        assertThat(results.get(1).get("value").asText()).isEqualTo(String.format("%08x", adler.getValue()));
        assertThat(results.get(2).has("error")).as(results.get(2).toString()).isFalse();
        assertThat(Files.readAllBytes(copy)).isEqualTo(bytes);
    }

    @Test
    void gfal2WithAWlcgTokenStagesAndCopiesWhatItsScopesAllow() throws Exception {
        Gfal2 wlcg = Gfal2.withToken(issuer.token("storage.stage:/jwt storage.read:/jwt"));
        String source = url("jwt/j.bin");
        Path copy = directory.resolve("jwt-copy.bin");

        JsonNode staged = wlcg.one(op("bring_online", List.of(source, url("bulk/f-001.bin"))));
        String token = staged.get("token").asText();
        JsonNode results = wlcg.run(op("poll", List.of(source)).put("token", token),
                op("copy").put("url", source).put("destination", copy.toUri().toString()).put("checksum", "ADLER32"));
        for (int i = 0; results.get(0).get("errors").get(0).isObject() && i < 200; i++) {
            Thread.sleep(100);
            results = wlcg.run(op("poll", List.of(source)).put("token", token),
                    op("copy").put("url", source).put("destination", copy.toUri().toString()).put("checksum", "ADLER32"));
        }

        assertThat(results.get(1).has("error")).as(results.toString()).isFalse();
        assertThat(Files.readAllBytes(copy)).isEqualTo(archive.bytes("jwt/j.bin"));
        JsonNode outside = wlcg.one(op("poll", List.of(url("bulk/f-001.bin"))).put("token", token)).get("errors").get(0);
        assertThat(outside.get("message").asText()).contains("scopes do not allow staging");
    }

    @Test
    void anAbortedFileFailsWithItsReasonAndTheOthersOfTheRequestGoOn() throws Exception {
        List<String> both = List.of(url("abort/a.bin"), url("abort/b.bin"));
        app.runTask("pause");
        try {
            String token = gfal2.one(op("bring_online", both)).get("token").asText();
            assertThat(gfal2.one(op("poll", both).put("token", token)).get("errors"))
                    .allMatch(error -> error.get("code").asInt() == EAGAIN);

            assertThat(gfal2.one(op("abort", both.subList(0, 1)).put("token", token)).get("errors"))
                    .allMatch(JsonNode::isNull);
            app.runTask("resume");

            JsonNode errors = pollUntilSettled(token, both);
            assertThat(errors.get(0).get("message").asText()).isEqualTo("[Tape REST API] cancelled by the client");
            assertThat(errors.get(1).isNull()).isTrue();
        } finally {
            app.runTask("resume");
        }
    }

    @Test
    void aReleasedCopyIsNoLongerPinnedAndIsEvicted() throws Exception {
        String released = url("release/r.bin");
        String token = gfal2.one(op("bring_online", List.of(released))).get("token").asText();
        assertThat(pollUntilSettled(token, List.of(released))).allMatch(JsonNode::isNull);
        app.runTask("evict");
        assertThat(directory.resolve("staging/release/r.bin")).exists(); // pinned for lifecycle.pinLifetime

        assertThat(gfal2.one(op("release").put("url", released).put("token", token)).get("rc").asInt()).isZero();
        app.runTask("evict");

        assertThat(directory.resolve("staging/release/r.bin")).doesNotExist();
    }

    @Test
    void withoutATokenGfal2IsRefusedButTheWellKnownDocumentIsOpenEvenToAWrongToken() throws Exception {
        JsonNode refused = Gfal2.anonymous().one(op("bring_online", List.of(url("bulk/f-000.bin"))));
        assertThat(refused.get("errors").get(0).get("code").asInt()).isEqualTo(13); // EACCES: the 401

        StagehandTestApp.Reply wellKnown = app.send(HttpRequest.newBuilder().GET()
                .header("Authorization", "Bearer not-a-token"), "/.well-known/wlcg-tape-rest-api");
        assertThat(wellKnown.status()).isEqualTo(200);
        assertThat(wellKnown.json().get("endpoints").get(0).get("uri").asText())
                .isEqualTo("http://localhost:" + app.port() + "/api/v1");
    }

    @Test
    void aRequestStagedBeforeARestartIsPolledToTheEndAfterIt() throws Exception {
        app.runTask("pause");
        String token = gfal2.one(op("bring_online", List.of(url("restart/x.bin")))).get("token").asText();
        app.stop();
        app = startApp();

        assertThat(pollUntilSettled(token, List.of(url("restart/x.bin")))).allMatch(JsonNode::isNull);
    }
}
