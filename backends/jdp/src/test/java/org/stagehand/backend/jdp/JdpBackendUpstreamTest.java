package org.stagehand.backend.jdp;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.util.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.jdp.FakeJdpArchive.DownloadFault;
import org.stagehand.backend.jdp.FakeJdpArchive.GetCall;
import org.stagehand.backend.jdp.FakeJdpArchive.RestoreCall;
import org.stagehand.backend.support.testing.RecordingListener;

/**
 * What the real JDP does and a kinder stand-in would hide: files of one request restored at
 * different times or never, 409 on a file still on tape, 404 bodies listing unknown IDs, redirects
 * to other hosts, unknown status words, the DTS's restore fields, and no credential on status GETs.
 */
class JdpBackendUpstreamTest extends ArchiveTestSupport {

    private static final String SECRET = "0000-0002-1825-0097_s3cr3t";

    // ---- one file never restored (#12 item 7) ----

    @Test
    void aFileNeverRestoredFailsAloneAndTheOthersOfItsRequestAreDownloaded() throws Exception {
        backend(factory -> factory.setMaxRestoreWait(Duration.seconds(1)));
        List<StagingItem> items = sixFilesOneOnABadTape();

        long start = System.nanoTime();
        RecordingListener listener = stage(items.toArray(StagingItem[]::new));

        assertThat(listener.outcome("file-stuck")).isInstanceOf(StagingOutcome.Failed.class);
        assertThat(messageOf(listener.outcome("file-stuck"))).contains("not restored within maxRestoreWait",
                "'pending'", "file_status PURGED");
        for (StagingItem item : items.subList(1, items.size())) {
            assertFetchedIntact(listener, item);
        }
        // Downloaded while the request was still pending, not after the stuck file's wait ran out.
        assertThat(archive.downloadCalls()).extracting(FakeJdpArchive.DownloadCall::fileId)
                .doesNotContain("stuck").hasSize(5);
        assertThat(archive.restoreCalls()).hasSize(1);
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(5));
    }

    @Test
    void withoutFileStatesTheFilesOfAPendingRequestAreTriedAtTheirDeadlineAndOnlyTheOneOnTapeFails()
            throws Exception {
        archive.perFileStatus(false);
        backend(factory -> factory.setMaxRestoreWait(Duration.milliseconds(500)));
        List<StagingItem> items = sixFilesOneOnABadTape();

        RecordingListener listener = stage(items.toArray(StagingItem[]::new));

        assertThat(listener.outcome("file-stuck")).isInstanceOf(StagingOutcome.Failed.class);
        assertThat(messageOf(listener.outcome("file-stuck"))).contains("not restored within maxRestoreWait",
                "HTTP 409", "still on tape");
        for (StagingItem item : items.subList(1, items.size())) {
            assertFetchedIntact(listener, item);
        }
    }

    @Test
    void aFileStillOnTapeAfterReadyIsRestoredAgainAloneUntilItArrives() throws Exception {
        // The upstream says ready four times while "late" is still on its way (409 each time): more
        // 409s than the restores allowed for refusals, all well within maxRestoreWait.
        archive.perFileStatus(false);
        archive.scriptStatuses("ready", "ready", "ready", "ready");
        archive.restoreLatency("late", java.time.Duration.ofSeconds(3));
        backend();
        archived("early", 20_000);
        archived("late", 30_000);

        RecordingListener listener = stage(item("early"), item("late"));

        assertFetchedIntact(listener, item("early"));
        assertFetchedIntact(listener, item("late"));
        List<RestoreCall> calls = archive.restoreCalls();
        assertThat(calls.get(0).ids()).containsExactly("early", "late");
        assertThat(calls.subList(1, calls.size())).as("later restores ask for the missing file only")
                .isNotEmpty().allSatisfy(call -> assertThat(call.ids()).containsExactly("late"));
        assertThat(calls.size()).isGreaterThan(BatchRun.MAX_RESTORES_PER_FILE);
    }

    private List<StagingItem> sixFilesOneOnABadTape() {
        archived("stuck", 1000);
        archive.neverRestore("stuck");
        List<StagingItem> items = new ArrayList<>(List.of(item("stuck")));
        for (int i = 0; i < 5; i++) {
            archived("ok" + i, 10_000 + i);
            items.add(item("ok" + i));
        }
        return items;
    }

    // ---- unknown IDs (#12 item 8) ----

    @Test
    void failsTheIdsA404NamesAndRestoresTheRestInOneMoreRequest() throws Exception {
        backend(factory -> factory.setConcurrentDownloads(8));
        List<StagingItem> items = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String id = String.format("6141%020x", i);
            if (i % 4 == 1) {
                contents.put(id, new byte[0]);
                unknown.add(id);
            } else {
                archived(id, 100 + i);
            }
            items.add(item(id));
        }
        Collections.shuffle(items, new java.util.Random(7));

        RecordingListener listener = stage(items.toArray(StagingItem[]::new));

        assertThat(archive.restoreCalls()).as("restore requests").hasSize(2);
        assertThat(archive.restoredIdsSent()).isEqualTo(200 + 150);
        for (StagingItem item : items) {
            if (unknown.contains(item.archiveLocation())) {
                assertThat(listener.outcome(item.fileId())).isInstanceOf(StagingOutcome.Failed.class);
                assertThat(messageOf(listener.outcome(item.fileId())))
                        .contains("does not know file " + item.archiveLocation(), "HTTP 404");
            } else {
                assertFetchedIntact(listener, item);
            }
        }
    }

    @Test
    void splitsTheRequestOnlyWhenThe404NamesNoId() throws Exception {
        archive.unknownIdsInNotFound(false);
        backend();
        for (String id : List.of("a", "b", "c", "d")) {
            archived(id, 1000);
        }
        contents.put("gone", new byte[0]);

        RecordingListener listener = stage(item("a"), item("b"), item("gone"), item("c"), item("d"));

        assertThat(listener.outcome("file-gone")).isInstanceOf(StagingOutcome.Failed.class);
        for (String id : List.of("a", "b", "c", "d")) {
            assertFetchedIntact(listener, item(id));
        }
        assertThat(archive.restoreCalls()).hasSizeGreaterThan(2);
    }

    @Test
    void findsTheIdsA404BodyNamesInJsonOrText() {
        List<String> sent = List.of("abc1", "abc12", "x.y", "zz");

        assertThat(RestoreSender.namedIn("{\"error\": \"unknown file ids: abc12, x.y\"}", sent))
                .containsExactly("abc12", "x.y");
        assertThat(RestoreSender.namedIn("{\"unknown\": [\"zz\"], \"detail\": \"file abc1: not found.\"}", sent))
                .containsExactly("abc1", "zz");
        assertThat(RestoreSender.namedIn("Not found.", sent)).isEmpty();
    }

    // ---- redirects (#12 item 9) ----

    @Test
    void failsAtOnceNamingTheHostAndTheKeyWhenADownloadIsRedirectedToAnotherHost() throws Exception {
        try (FakeJdpArchive elsewhere = FakeJdpArchive.start("127.0.0.2")) {
            backend();
            archived("a", 1000);
            for (int i = 0; i < 30; i++) {
                archive.injectDownloadFault("a", new DownloadFault.Redirect(elsewhere.baseUrl().resolve("download_files/a/")));
            }

            RecordingListener listener = stage(item("a"));

            assertThat(listener.outcome("file-a")).isInstanceOf(StagingOutcome.Failed.class);
            assertThat(messageOf(listener.outcome("file-a"))).contains("HTTP 302", "127.0.0.2", "backend.redirectHosts")
                    .doesNotContain(elsewhere.baseUrl() + "download_files");
            assertThat(archive.downloadCalls()).as("no retries").hasSize(1);
            assertThat(elsewhere.downloadCalls()).isEmpty();
        }
    }

    @Test
    void followsARedirectToAListedHostWithoutTheCredential() throws Exception {
        try (FakeJdpArchive elsewhere = FakeJdpArchive.start("127.0.0.2")) {
            environment.put("JDP_TOKEN", SECRET);
            archive.requireAuthorization("Token " + SECRET);
            backend(factory -> {
                factory.setAuthTokenVariable("JDP_TOKEN");
                factory.setRedirectHosts(List.of("127.0.0.2"));
            });
            archived("a", 300_000);
            elsewhere.addFile("a", contents.get("a"));
            elsewhere.alwaysOnline(true);
            archive.injectDownloadFault("a", new DownloadFault.Redirect(elsewhere.baseUrl().resolve("download_files/a/")));

            RecordingListener listener = stage(item("a"));

            assertFetchedIntact(listener, item("a"));
            assertThat(archive.downloadCalls()).extracting(FakeJdpArchive.DownloadCall::authorization)
                    .containsExactly("Token " + SECRET);
            assertThat(elsewhere.downloadCalls()).singleElement()
                    .satisfies(call -> assertThat(call.authorization()).isNull());
        }
    }

    @Test
    void followsARedirectWithinTheUpstreamWithTheCredential() throws Exception {
        environment.put("JDP_TOKEN", SECRET);
        archive.requireAuthorization("Token " + SECRET);
        backend(factory -> factory.setAuthTokenVariable("JDP_TOKEN"));
        archived("a", 5000);
        archive.injectDownloadFault("a", new DownloadFault.Redirect(archive.baseUrl().resolve("download_files/a/?mirror=2")));

        RecordingListener listener = stage(item("a"));

        assertFetchedIntact(listener, item("a"));
        assertThat(archive.downloadCalls()).extracting(FakeJdpArchive.DownloadCall::authorization)
                .containsExactly("Token " + SECRET, "Token " + SECRET);
    }

    // ---- the restore body (#12 item 10) ----

    @Test
    void sendsTheDtsRestoreFieldsByDefaultAndTheConfiguredOnesInstead() throws Exception {
        backend();
        archived("a", 100);

        stage(item("a"));

        RestoreCall call = archive.restoreCalls().get(0);
        assertThat(call.body().get("include_private_data").isInt()).isTrue();
        assertThat(call.body().get("include_private_data").asInt()).isEqualTo(1);
        assertThat(call.body().get("send_email").isBoolean()).isTrue();
        assertThat(call.body().get("api_version").asText()).isEqualTo("2");
        assertThat(call.body().get("ids")).hasSize(1);

        backend.close();
        backend(factory -> factory.setRestoreFields(Map.of("api_version", "1", "note", "stagehand")));
        stage(item("a"));

        RestoreCall configured = archive.restoreCalls().get(1);
        assertThat(configured.body().fieldNames()).toIterable().containsExactlyInAnyOrder("ids", "api_version", "note");
        assertThat(configured.body().get("note").asText()).isEqualTo("stagehand");
    }

    // ---- status words (#12 item 11) ----

    @Test
    void failsTheFilesWithTheWordWhenAnUnknownStatusLastsItsGracePeriod() throws Exception {
        archive.scriptStatuses(Collections.nCopies(1000, "staging").toArray(String[]::new));
        backend(factory -> factory.setUnknownStatusGrace(Duration.milliseconds(300)));
        archived("a", 1000);
        archived("b", 1000);

        long start = System.nanoTime();
        RecordingListener listener = stage(item("a"), item("b"));

        for (String fileId : List.of("file-a", "file-b")) {
            assertThat(listener.outcome(fileId)).isInstanceOf(StagingOutcome.Failed.class);
            assertThat(messageOf(listener.outcome(fileId))).contains("'staging'", "unknownStatusGrace");
        }
        // maxRestoreWait is 20 s here.
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(5));
    }

    @Test
    void anUnknownWordShorterThanTheGraceIsWaitedOutAndAFailedWordFailsAtOnce() throws Exception {
        archive.scriptStatuses("staging", "staging", "ready", "failed");
        backend(factory -> factory.setUnknownStatusGrace(Duration.seconds(10)));
        archived("a", 1000);
        archived("b", 1000);

        assertFetchedIntact(stage(item("a")), item("a"));
        RecordingListener failed = stage(item("b"));

        assertThat(failed.outcome("file-b")).isInstanceOf(StagingOutcome.Failed.class);
        assertThat(messageOf(failed.outcome("file-b"))).contains("'failed'");
    }

    // ---- where the credential goes (#12 item 12) ----

    @Test
    void sendsNoCredentialWithStatusOrHealthCheckUnlessConfigured() throws Exception {
        environment.put("JDP_TOKEN", SECRET);
        archive.requireAuthorization("Token " + SECRET);
        archive.restoreLatency(java.time.Duration.ofMillis(100));
        backend(factory -> factory.setAuthTokenVariable("JDP_TOKEN"));
        archived("a", 1000);

        assertFetchedIntact(stage(item("a")), item("a"));
        assertThat(backend.checkHealth().healthy()).isTrue();

        assertThat(archive.statusCalls()).isNotEmpty().extracting(GetCall::authorization).containsOnlyNulls();
        assertThat(archive.rootCalls()).singleElement().satisfies(call -> assertThat(call.authorization()).isNull());
        assertThat(archive.restoreCalls()).extracting(RestoreCall::authorization).containsOnly("Token " + SECRET);

        backend.close();
        backend(factory -> {
            factory.setAuthTokenVariable("JDP_TOKEN");
            factory.setSendCredentialWithStatus(true);
            factory.setSendCredentialWithHealthCheck(true);
        });
        int before = archive.statusCalls().size();
        stage(item("a"));
        backend.checkHealth();

        assertThat(archive.statusCalls().subList(before, archive.statusCalls().size())).isNotEmpty()
                .extracting(GetCall::authorization).containsOnly("Token " + SECRET);
        assertThat(archive.rootCalls().get(1).authorization()).isEqualTo("Token " + SECRET);
    }
}
