package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.jdp.FakeJdpArchive;
import org.stagehand.backend.jdp.FakeJdpArchive.DownloadCall;
import org.stagehand.backend.jdp.FakeJdpArchive.DownloadFault;
import org.stagehand.backend.jdp.FakeJdpArchive.RestoreCall;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.StagehandTestApp.Reply;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/**
 * The JDP backend end to end, through Stagehand's HTTP API, against {@link FakeJdpArchive} (a real
 * HTTP server on 127.0.0.1, from the jdp module's test-jar) standing in for the upstream archive.
 * Each catalog entry's {@code archive_path} is its upstream file ID, which differs from the
 * catalog ID so that the tests see which one travels upstream.
 *
 * <p>One service (H2, {@code it-jdp-config.yml}) serves every test; each test has files of its own
 * and waits until its request has settled, so a test's faults touch only its own files. Faults
 * that the fake applies to every request (restore latency, lifetime, status message) are set and
 * reset within one test. One test runs its own service on PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdpStagingIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** Set by failsafe (service/pom.xml) and named as {@code backend.authTokenVariable} in it-jdp-config.yml. */
    private static final String TOKEN_VARIABLE = "STAGEHAND_IT_JDP_TOKEN";
    /** As {@code work.maxAttempts} and {@code backend.maxDownloadAttempts} in it-jdp-config.yml. */
    private static final int SERVICE_ATTEMPTS = 3;
    private static final int DOWNLOAD_ATTEMPTS = 3;
    /** As BatchRun.MAX_RESTORES_PER_FILE: restore requests for one file within one attempt. */
    private static final int RESTORES_PER_FILE = 3;
    /** More faults than all attempts together can use up. */
    private static final int ALWAYS = SERVICE_ATTEMPTS * DOWNLOAD_ATTEMPTS + 3;

    private String secret;
    private Path directory;
    private FakeJdpArchive upstream;
    private TestArchive archive;
    private final Map<String, String> pathById = new HashMap<>();
    private Path catalog;
    private Path stagingRoot;
    private StagehandTestApp app;

    @BeforeAll
    void startUpstreamAndApp(@TempDir Path directory) throws Exception {
        this.directory = directory;
        secret = System.getenv(TOKEN_VARIABLE);
        assertThat(secret).as(TOKEN_VARIABLE + ", set for failsafe in service/pom.xml").isNotBlank();
        upstream = FakeJdpArchive.start();
        // Any request without exactly this header is answered 401: every test proves it arrives.
        upstream.requireAuthorization("Token " + secret);
        archive = new TestArchive(directory.resolve("archive"));

        // stagesFilesByteIdenticalThroughPostAndPollToReady
        file("basic-1", "basic/genome.fasta", 3_000_000);
        file("basic-2", "basic/reads/r1.fastq", 70_000);
        file("basic-3", "basic/empty.txt", 0);
        file("basic-4", "basic/meta.json", 1_234);
        // asksTheUpstreamForOneRestorePerBatchNotOnePerFile
        for (int i = 0; i < 40; i++) {
            file(batchId(i), "batch/f" + i + ".bin", 2_000 + i);
        }
        // download and restore faults, one or two files per test
        file("503-a", "faults/503/a.bin", 400_000);
        file("503-b", "faults/503/b.bin", 50_000);
        file("restore503-a", "faults/restore503/a.bin", 10_000);
        file("restore503-b", "faults/restore503/b.bin", 20_000);
        file("always503", "faults/always503/x.bin", 30_000);
        file("always503-ok", "faults/always503/ok.bin", 3_000);
        file("restoreAlways503", "faults/restoreAlways503/x.bin", 5_000);
        file("drop", "faults/drop/x.bin", 2_500_000);
        file("alwaysDrop", "faults/alwaysDrop/x.bin", 1_000_000);
        file("corrupt", "faults/corrupt/x.bin", 600_000);
        file("alwaysCorrupt", "faults/alwaysCorrupt/x.bin", 200_000);
        file("alwaysCorrupt-ok", "faults/alwaysCorrupt/ok.bin", 2_000);
        file("expiredAfterReady", "faults/expired/after-ready.bin", 90_000);
        file("statusExpired", "faults/expired/status.bin", 80_000);
        file("alwaysExpired", "faults/expired/always.bin", 7_000);
        file("slowStart", "faults/slow/start.bin", 100_000);
        file("throttled", "faults/slow/throttled.bin", 300_000);
        file("neverRestored", "faults/never/x.bin", 4_000);
        // aFileNeverRestoredFailsAloneAndTheOtherRequestsOfItsBatchEndReady
        for (int i = 0; i < 5; i++) {
            file("alone-" + i, "alone/f" + i + ".bin", 3_000 + i);
        }
        file("alone-stuck", "alone/stuck.bin", 2_000);
        upstream.neverRestore(upstreamId("alone-stuck"));
        file("known", "faults/unknown/known.bin", 6_000);
        file("known-2", "faults/unknown/known2.bin", 6_500);
        catalogOnly("unknownUpstream", "faults/unknown/gone.bin", 1_000);
        // sendsTheCredentialUpstreamAndWritesItToNoLogLine
        file("auth-1", "auth/one.bin", 500_000);
        file("auth-2", "auth/two.bin", 20_000);
        file("auth-3", "auth/three.bin", 1_000);
        catalogOnly("authUnknown", "auth/unknown.bin", 100);
        // stagesFilesByteIdenticalOnPostgresql
        file("pg-1", "pg/one.bin", 250_000);
        file("pg-2", "pg/two.bin", 3_000);

        catalog = archive.writeCatalog(directory.resolve("catalog.json"));
        stagingRoot = directory.resolve("staging");
        app = app(TestDatabase.h2(directory.resolve("db")), stagingRoot).start();
    }

    @AfterAll
    void stopAppAndUpstream() throws Exception {
        if (app != null) {
            app.stop();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    /** Whatever a test did, once its request settled no temporary file is left. */
    @AfterEach
    void noTemporaryFileIsLeft() throws IOException {
        assertThat(StagehandTestApp.temporaryFilesBelow(stagingRoot)).isEmpty();
    }

    // ---- the tests ----

    @Test
    void stagesFilesByteIdenticalThroughPostAndPollToReady() throws Exception {
        Reply reply = app.requestStaging("basic-1", "JDP:basic-2", "basic-3", "basic-4");

        JsonNode status = settle(app, reply, "ready");

        assertThat(status.get("files").get("total").asInt()).isEqualTo(4);
        assertThat(status.get("files").get("ready").asInt()).isEqualTo(4);
        assertThat(status.get("bytes").get("ready").asLong()).isEqualTo(3_000_000 + 70_000 + 1_234);
        assertThat(status.get("errors")).isEmpty();
        assertStagedIntact("basic-1", "basic-2", "basic-3", "basic-4");
        // The upstream was asked for the archive locations, never the catalog IDs.
        assertThat(restoreCallsFor("basic-1")).singleElement().satisfies(call -> assertThat(call.ids())
                .containsExactlyInAnyOrder(upstreamIds("basic-1", "basic-2", "basic-3", "basic-4")));
        assertThat(upstream.downloadCalls()).extracting(DownloadCall::fileId).doesNotContain("basic-1", "basic-2");
        Reply files = app.get("/dts/staging/" + status.get("request_id").asText() + "/files");
        assertThat(files.json().get("files")).extracting(file -> file.get("state").asText()).containsOnly("ready");
    }

    @Test
    void asksTheUpstreamForOneRestorePerBatchNotOnePerFile() throws Exception {
        String[] ids = IntStream.range(0, 40).mapToObj(JdpStagingIT::batchId).toArray(String[]::new);

        settle(app, app.requestStaging(ids), "ready");

        List<RestoreCall> calls = upstream.restoreCalls().stream()
                .filter(call -> call.ids().stream().anyMatch(id -> id.startsWith(upstreamId("batch-"))))
                .toList();
        assertThat(calls).as("restore requests for the 40 files").hasSize(1);
        RestoreCall call = calls.get(0);
        assertThat(call.ids()).containsExactlyInAnyOrder(upstreamIds(ids));
        assertThat(call.sendEmail()).isFalse();
        assertThat(call.apiVersion()).isEqualTo("2");
        assertThat(call.body().get("include_private_data").asInt()).as("as the DTS sends").isEqualTo(1);
        assertThat(upstream.downloadCalls()).filteredOn(download -> download.fileId().startsWith(upstreamId("batch-")))
                .as("one download per file").hasSize(40);
        assertStagedIntact(ids);
    }

    @Test
    void downloadsAnswering503Or429AreRetriedAndEndReadyWithTheRightBytes() throws Exception {
        upstream.injectDownloadFault(upstreamId("503-a"), new DownloadFault.Status(503, null));
        upstream.injectDownloadFault(upstreamId("503-a"), new DownloadFault.Status(503, null));
        upstream.injectDownloadFault(upstreamId("503-b"), new DownloadFault.Status(429, "1"));

        settle(app, app.requestStaging("503-a", "503-b"), "ready");

        assertStagedIntact("503-a", "503-b");
        assertThat(downloadCallsFor("503-a")).hasSize(3);
        assertThat(downloadCallsFor("503-b")).hasSize(2);
    }

    @Test
    void restoreAnswering503IsRetriedByTheServiceAndEndsReady() throws Exception {
        upstream.failNextRestore(503, -1);

        settle(app, app.requestStaging("restore503-a", "restore503-b"), "ready");

        assertStagedIntact("restore503-a", "restore503-b");
        // The refused restore held both; the service's retries may come in one batch or two.
        assertThat(upstream.restoreCalls()).filteredOn(call -> call.ids().contains(upstreamId("restore503-a"))
                || call.ids().contains(upstreamId("restore503-b"))).first()
                .satisfies(call -> assertThat(call.ids())
                        .containsExactlyInAnyOrder(upstreamIds("restore503-a", "restore503-b")));
        assertThat(restoreCallsFor("restore503-a")).as("the refused restore and the one that worked").hasSize(2);
        assertThat(restoreCallsFor("restore503-b")).as("the refused restore and the one that worked").hasSize(2);
    }

    @Test
    void downloadThatAlwaysAnswers503FailsWithTheUpstreamsErrorAndLeavesNothingAtItsPath() throws Exception {
        for (int i = 0; i < ALWAYS; i++) {
            upstream.injectDownloadFault(upstreamId("always503"), new DownloadFault.Status(503, null));
        }

        JsonNode status = settle(app, app.requestStaging("always503", "always503-ok"), "failed");

        assertThat(status.get("files").get("ready").asInt()).isEqualTo(1);
        assertThat(errorMessage(status, "always503")).contains("gave up after " + SERVICE_ATTEMPTS + " attempts",
                upstreamId("always503"), "HTTP 503", "injected HTTP 503");
        assertNothingAt("always503");
        assertStagedIntact("always503-ok");
        assertThat(downloadCallsFor("always503")).hasSize(SERVICE_ATTEMPTS * DOWNLOAD_ATTEMPTS);
    }

    @Test
    void restoreThatAlwaysAnswers503FailsAfterTheServicesAttempts() throws Exception {
        for (int i = 0; i < SERVICE_ATTEMPTS; i++) {
            upstream.failNextRestore(503, -1);
        }

        JsonNode status = settle(app, app.requestStaging("restoreAlways503"), "failed");

        assertThat(errorMessage(status, "restoreAlways503")).contains("gave up after " + SERVICE_ATTEMPTS + " attempts",
                "HTTP 503", "restore service unavailable");
        assertNothingAt("restoreAlways503");
        assertThat(restoreCallsFor("restoreAlways503")).hasSize(SERVICE_ATTEMPTS);
        assertThat(downloadCallsFor("restoreAlways503")).isEmpty();
    }

    @Test
    void connectionDroppedMidBodyIsResumedWithRangeAndEndsByteIdentical() throws Exception {
        upstream.injectDownloadFault(upstreamId("drop"), new DownloadFault.DropAfter(1_000_000));

        settle(app, app.requestStaging("drop"), "ready");

        assertStagedIntact("drop");
        List<DownloadCall> calls = downloadCallsFor("drop");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).range()).isNull();
        assertThat(calls.get(1).range()).matches("bytes=[1-9]\\d*-");
    }

    @Test
    void connectionThatAlwaysDropsFailsTheFileAndLeavesNoPartialCopy() throws Exception {
        for (int i = 0; i < ALWAYS; i++) {
            upstream.injectDownloadFault(upstreamId("alwaysDrop"), new DownloadFault.DropAfter(60_000));
        }

        JsonNode status = settle(app, app.requestStaging("alwaysDrop"), "failed");

        assertThat(errorMessage(status, "alwaysDrop")).contains("gave up after " + SERVICE_ATTEMPTS + " attempts",
                "bytes of " + upstreamId("alwaysDrop")).containsPattern("connection (closed|lost)");
        assertNothingAt("alwaysDrop");
    }

    @Test
    void bodyNotMatchingItsHashIsDownloadedAgainAndEndsByteIdentical() throws Exception {
        upstream.injectDownloadFault(upstreamId("corrupt"), new DownloadFault.Corrupt());

        settle(app, app.requestStaging("corrupt"), "ready");

        assertStagedIntact("corrupt");
        assertThat(downloadCallsFor("corrupt")).hasSize(2);
    }

    @Test
    void bodyThatNeverMatchesItsHashFailsWithAChecksumErrorAndLeavesNothingAtItsPath() throws Exception {
        for (int i = 0; i < ALWAYS; i++) {
            upstream.injectDownloadFault(upstreamId("alwaysCorrupt"), new DownloadFault.Corrupt());
        }

        JsonNode status = settle(app, app.requestStaging("alwaysCorrupt", "alwaysCorrupt-ok"), "failed");

        assertThat(errorMessage(status, "alwaysCorrupt")).contains("checksum mismatch", upstreamId("alwaysCorrupt"),
                "the catalog says md5:" + TestArchive.md5(archive.bytes(pathById.get("alwaysCorrupt"))));
        assertNothingAt("alwaysCorrupt");
        assertStagedIntact("alwaysCorrupt-ok");
    }

    @Test
    void copyExpiringAfterReadyIsRestoredAgainAndEndsByteIdentical() throws Exception {
        // Ready at once, expired 1 s later; the 503's Retry-After (2 s, within backend.maxRetryWait)
        // holds the second download past that, and the upstream refuses it as not restored.
        upstream.readyLifetime(Duration.ofSeconds(1));
        upstream.injectDownloadFault(upstreamId("expiredAfterReady"), new DownloadFault.Status(503, "2"));
        try {
            settle(app, app.requestStaging("expiredAfterReady"), "ready");
        } finally {
            upstream.readyLifetime(null);
        }

        assertStagedIntact("expiredAfterReady");
        assertThat(restoreCallsFor("expiredAfterReady")).hasSize(2);
        assertThat(downloadCallsFor("expiredAfterReady")).hasSize(3);
    }

    @Test
    void restoreRequestReportedExpiredIsRestoredAgainAndEndsByteIdentical() throws Exception {
        upstream.scriptStatuses("expired");

        settle(app, app.requestStaging("statusExpired"), "ready");

        assertStagedIntact("statusExpired");
        assertThat(restoreCallsFor("statusExpired")).hasSize(2);
    }

    @Test
    void copyThatAlwaysExpiresFailsWithTheUpstreamsStateAndLeavesNothingAtItsPath() throws Exception {
        // Every restored copy is expired as soon as it is ready.
        upstream.readyLifetime(Duration.ofNanos(1));
        JsonNode status;
        try {
            status = settle(app, app.requestStaging("alwaysExpired"), "failed");
        } finally {
            upstream.readyLifetime(null);
        }

        assertThat(errorMessage(status, "alwaysExpired")).contains(upstreamId("alwaysExpired"),
                "after " + RESTORES_PER_FILE + " restore requests", "'expired'");
        assertNothingAt("alwaysExpired");
        assertThat(restoreCallsFor("alwaysExpired")).as("restore requests before giving up").hasSize(RESTORES_PER_FILE);
    }

    @Test
    void slowFirstByteAndThrottledBodyEndReadyWithTheRightBytes() throws Exception {
        // Longer than backend.client.timeout (2.5 s): the first attempt times out, the second succeeds.
        upstream.injectDownloadFault(upstreamId("slowStart"), new DownloadFault.SlowStart(Duration.ofSeconds(5)));
        upstream.injectDownloadFault(upstreamId("throttled"), new DownloadFault.Throttle(400_000));

        settle(app, app.requestStaging("slowStart", "throttled"), "ready");

        assertStagedIntact("slowStart", "throttled");
        assertThat(downloadCallsFor("slowStart")).hasSize(2);
        assertThat(downloadCallsFor("throttled")).hasSize(1);
    }

    @Test
    void fileTheUpstreamDoesNotKnowFailsAloneAndTheOthersAreStaged() throws Exception {
        JsonNode status = settle(app, app.requestStaging("known", "unknownUpstream", "known-2"), "failed");

        assertThat(status.get("files").get("ready").asInt()).isEqualTo(2);
        assertThat(status.get("files").get("failed").asInt()).isEqualTo(1);
        assertThat(status.get("errors")).hasSize(1);
        assertThat(status.get("errors").get(0).get("path").asText()).isEqualTo(pathById.get("unknownUpstream"));
        assertThat(errorMessage(status, "unknownUpstream")).contains("does not know file " + upstreamId("unknownUpstream"),
                "HTTP 404");
        assertNothingAt("unknownUpstream");
        assertStagedIntact("known", "known-2");
        // The 404 named the unknown ID: the other two were asked for once more, together.
        assertThat(restoreCallsFor("known-2")).hasSize(2);
        assertThat(restoreCallsFor("known").get(1).ids()).containsExactlyInAnyOrder(upstreamIds("known", "known-2"));
    }

    @Test
    void aFileNeverRestoredFailsAloneAndTheOtherRequestsOfItsBatchEndReady() throws Exception {
        // Six single-file requests at once, as the DTS sends them. Work is paused until all six are
        // stored, so that one claim takes them together and they share upstream restore requests.
        assertThat(app.runTask("pause").status()).isEqualTo(200);
        List<String> ids = new ArrayList<>(List.of("alone-0", "alone-1", "alone-stuck", "alone-2", "alone-3", "alone-4"));
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(ids.size());
        List<java.util.concurrent.CompletableFuture<Reply>> posts = ids.stream()
                .map(id -> java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        together.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return app.requestStaging(id);
                }, java.util.concurrent.Executors.newSingleThreadExecutor()))
                .toList();
        List<Reply> replies = new ArrayList<>();
        try {
            for (java.util.concurrent.CompletableFuture<Reply> post : posts) {
                replies.add(post.get());
            }
        } finally {
            app.runTask("resume");
        }

        // The five others first: before the fix, those sharing a batch with the stuck file failed with it.
        for (int i = 0; i < ids.size(); i++) {
            if (!ids.get(i).equals("alone-stuck")) {
                settle(app, replies.get(i), "ready");
                assertStagedIntact(ids.get(i));
            }
        }
        JsonNode stuck = settle(app, replies.get(ids.indexOf("alone-stuck")), "failed");
        assertThat(errorMessage(stuck, "alone-stuck")).contains("not restored within maxRestoreWait", "PURGED");
        assertNothingAt("alone-stuck");
        assertThat(restoreCallsFor("alone-stuck")).as("restore requests holding the stuck file")
                .anySatisfy(call -> assertThat(call.ids()).hasSizeGreaterThan(1));
    }

    @Test
    void fileNotRestoredWithinMaxRestoreWaitFailsWithTheUpstreamsMessage() throws Exception {
        upstream.restoreLatency(Duration.ofMinutes(5));
        upstream.statusMessage("tape library offline until Monday");
        JsonNode status;
        try {
            status = settle(app, app.requestStaging("neverRestored"), "failed");
        } finally {
            upstream.restoreLatency(Duration.ZERO);
            upstream.statusMessage(null);
        }

        assertThat(errorMessage(status, "neverRestored")).contains("not restored within maxRestoreWait",
                "'new'", "tape library offline until Monday");
        assertNothingAt("neverRestored");
        assertThat(downloadCallsFor("neverRestored")).isEmpty();
    }

    @Test
    void sendsTheCredentialUpstreamAndWritesItToNoLogLine() throws Exception {
        // Faults make the backend and the service log warnings that quote the upstream.
        upstream.failNextRestore(503, -1);
        upstream.injectDownloadFault(upstreamId("auth-1"), new DownloadFault.DropAfter(100_000));
        upstream.injectDownloadFault(upstreamId("auth-2"), new DownloadFault.Status(503, null));
        upstream.injectDownloadFault(upstreamId("auth-3"), new DownloadFault.Corrupt());
        JsonNode status;
        Reply files;
        try (LogCapture logs = LogCapture.everythingAtDebug()) {
            status = settle(app, app.requestStaging("auth-1", "auth-2", "auth-3", "authUnknown"), "failed");
            files = app.get("/dts/staging/" + status.get("request_id").asText() + "/files");
            List<String> lines = logs.lines();

            assertThat(lines).as("the capture sees the service's and the backend's lines")
                    .anyMatch(line -> line.contains("upstream restore request"))
                    .anyMatch(line -> line.contains("resuming at byte"))
                    .anyMatch(line -> line.contains("HTTP 503"))
                    .anyMatch(line -> line.contains("will be retried"));
            assertThat(lines).noneMatch(line -> line.contains(secret));
        }
        List<String> sent = new ArrayList<>();
        restoreCallsFor("auth-1").forEach(call -> sent.add(call.authorization()));
        for (String id : List.of("auth-1", "auth-2", "auth-3")) {
            downloadCallsFor(id).forEach(call -> sent.add(call.authorization()));
        }
        assertThat(sent).hasSizeGreaterThanOrEqualTo(2 + 2 + 2 + 2).containsOnly("Token " + secret);
        // As the DTS does: no credential where the JDP does not need one.
        assertThat(upstream.statusCalls()).isNotEmpty().extracting(FakeJdpArchive.GetCall::authorization)
                .containsOnlyNulls();
        assertStagedIntact("auth-1", "auth-2", "auth-3");
        assertThat(status.toString()).doesNotContain(secret);
        assertThat(files.body()).doesNotContain(secret);
    }

    @Test
    void stagesFilesByteIdenticalOnPostgresql() throws Exception {
        Path pgStaging = directory.resolve("staging-pg");
        StagehandTestApp postgresApp = app(TestDatabase.postgres(), pgStaging).start();
        try {
            settle(postgresApp, postgresApp.requestStaging("pg-1", "pg-2"), "ready");

            for (String id : List.of("pg-1", "pg-2")) {
                assertThat(pgStaging.resolve(pathById.get(id))).hasBinaryContent(archive.bytes(pathById.get(id)));
            }
            assertThat(restoreCallsFor("pg-1")).singleElement()
                    .satisfies(call -> assertThat(call.ids()).containsExactlyInAnyOrder(upstreamIds("pg-1", "pg-2")));
            assertThat(StagehandTestApp.temporaryFilesBelow(pgStaging)).isEmpty();
        } finally {
            postgresApp.stop();
        }
    }

    // ---- helpers ----

    private StagehandTestApp app(TestDatabase database, Path staging) {
        List<ConfigOverride> overrides = new ArrayList<>(database.overrides());
        overrides.add(ConfigOverride.config("staging.root", staging.toString()));
        overrides.add(ConfigOverride.config("catalog.importAtStartup", catalog.toString()));
        overrides.add(ConfigOverride.config("backend.baseUrl", upstream.baseUrl().toString()));
        return new StagehandTestApp("it-jdp-config.yml", overrides);
    }

    /** A cataloged file whose archive location is its upstream ID, held by the fake upstream. */
    private void file(String id, String path, int size) throws IOException {
        archive.file(id, path, size).archivePath(id, upstreamId(id));
        upstream.addFile(upstreamId(id), archive.bytes(path));
        pathById.put(id, path);
    }

    /** A cataloged file the upstream does not hold: it answers 404 for its ID. */
    private void catalogOnly(String id, String path, int size) throws IOException {
        archive.file(id, path, size).archivePath(id, upstreamId(id));
        pathById.put(id, path);
    }

    /** The upstream file ID of catalog entry {@code id}: deliberately not the catalog ID. */
    private static String upstreamId(String id) {
        return "u61a0-" + id;
    }

    private static String[] upstreamIds(String... ids) {
        return Arrays.stream(ids).map(JdpStagingIT::upstreamId).toArray(String[]::new);
    }

    private static String batchId(int i) {
        return "batch-" + i;
    }

    /**
     * Waits until the request has settled (its status is no longer {@code staging}) and asserts it
     * settled as {@code wanted}: a request that ends otherwise fails at once, showing its errors.
     */
    private static JsonNode settle(StagehandTestApp app, Reply accepted, String wanted) {
        String requestId = requestId(accepted);
        JsonNode[] last = new JsonNode[1];
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
            Reply reply = app.get("/dts/staging?id=" + requestId);
            last[0] = reply.json();
            return reply.status() == 200 && !last[0].get("status").asText().equals("staging");
        });
        assertThat(last[0].get("status").asText()).as("settled request %s", last[0]).isEqualTo(wanted);
        return last[0];
    }

    private static String requestId(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("request_id").asText();
    }

    private List<RestoreCall> restoreCallsFor(String id) {
        return upstream.restoreCalls().stream().filter(call -> call.ids().contains(upstreamId(id))).toList();
    }

    private List<DownloadCall> downloadCallsFor(String id) {
        return upstream.downloadCalls().stream().filter(call -> call.fileId().equals(upstreamId(id))).toList();
    }

    private void assertStagedIntact(String... ids) throws IOException {
        for (String id : ids) {
            String path = pathById.get(id);
            assertThat(stagingRoot.resolve(path)).as("staged copy of " + id).hasBinaryContent(archive.bytes(path));
        }
    }

    private void assertNothingAt(String id) {
        assertThat(stagingRoot.resolve(pathById.get(id))).as("staging path of " + id).doesNotExist();
    }

    /** The error the status reports for file {@code id}. */
    private String errorMessage(JsonNode status, String id) {
        for (JsonNode error : status.get("errors")) {
            if (error.get("id").asText().equals(id)) {
                assertThat(error.get("path").asText()).isEqualTo(pathById.get(id));
                return error.get("message").asText();
            }
        }
        throw new AssertionError("no error for " + id + " in " + status);
    }

    /**
     * Every log event while open, formatted with its MDC and stack trace, at DEBUG everywhere but
     * Jetty (the fake upstream and the service's own server) and Apache's header and wire loggers,
     * which print every header by design (docs/backends.md warns operators off them).
     */
    private static final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        private final Map<String, Level> savedLevels = new LinkedHashMap<>();

        static LogCapture everythingAtDebug() {
            LogCapture capture = new LogCapture();
            capture.setContext(capture.context);
            capture.start();
            capture.context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(capture);
            capture.setLevel(Logger.ROOT_LOGGER_NAME, Level.DEBUG);
            capture.setLevel("org.stagehand", Level.DEBUG);
            capture.setLevel("org.eclipse.jetty", Level.INFO);
            capture.setLevel("org.apache.hc.client5.http.headers", Level.INFO);
            capture.setLevel("org.apache.hc.client5.http.wire", Level.INFO);
            return capture;
        }

        private void setLevel(String name, Level level) {
            Logger logger = context.getLogger(name);
            savedLevels.putIfAbsent(name, logger.getLevel());
            logger.setLevel(level);
        }

        @Override
        protected void append(ILoggingEvent event) {
            StringBuilder line = new StringBuilder().append(event.getLevel()).append(' ').append(event.getLoggerName())
                    .append(' ').append(event.getMDCPropertyMap()).append(' ').append(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                line.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
            lines.add(line.toString());
        }

        List<String> lines() {
            return List.copyOf(lines);
        }

        @Override
        public void close() {
            context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(this);
            stop();
            savedLevels.forEach((name, level) -> context.getLogger(name).setLevel(level));
        }
    }
}
