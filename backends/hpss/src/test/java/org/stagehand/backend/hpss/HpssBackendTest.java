package org.stagehand.backend.hpss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.util.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.StagingBatch;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.support.testing.RecordingListener;
import org.stagehand.backend.support.ServiceEnvironment;
import org.stagehand.backend.support.testing.StagingItems;

/** The HPSS backend against the {@code hsi} stand-in, through real processes. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HpssBackendTest {

    @TempDir
    Path temp;

    private HsiStandIn hpss;
    private final List<ArchiveBackend> backends = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void setUp() throws Exception {
        hpss = new HsiStandIn(temp);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (ArchiveBackend backend : backends) {
            backend.close();
        }
        threads.shutdownNow();
    }

    private ArchiveBackend backend(HpssBackendFactory factory) throws Exception {
        ArchiveBackend backend = hpss.build(factory);
        backends.add(backend);
        return backend;
    }

    private ArchiveBackend backend() throws Exception {
        return backend(hpss.factory());
    }

    private static StagingBatch batch(List<StagingItem> items) {
        return new StagingBatch("batch-" + System.nanoTime(), items);
    }

    private static List<String> volumesMounted(List<HsiStandIn.Event> mounts) {
        return mounts.stream().map(mount -> mount.field(0)).toList();
    }

    @Test
    void stagesEachFileIntoItsOwnTemporaryFile() throws Exception {
        hpss.onTape("a/one.fastq", "one", "EA0001", 30, 0)
                .onTape("a/two.fastq", "two", "EA0002", 10, 0)
                .onDisk("b/three.txt", "three");
        List<StagingItem> items = List.of(hpss.item("a/one.fastq"), hpss.item("a/two.fastq"), hpss.item("b/three.txt"));
        RecordingListener listener = new RecordingListener();

        backend().stage(batch(items), listener);

        assertThat(listener.outcomes().values()).hasSize(3).allMatch(outcome -> outcome instanceof StagingOutcome.Fetched);
        assertThat(listener.content(items.get(0))).isEqualTo("one");
        assertThat(listener.content(items.get(1))).isEqualTo("two");
        assertThat(listener.content(items.get(2))).isEqualTo("three");
        assertThat(listener.duplicates()).isEmpty();
    }

    @Test
    void mountsEachVolumeOfABatchExactlyOnce() throws Exception {
        List<StagingItem> items = new ArrayList<>();
        String[] volumes = {"EA0001", "EB0002", "EC0003"};
        for (int file = 0; file < 12; file++) {
            String location = "run/file" + file;
            hpss.onTape(location, "content " + file, volumes[file % 3], 100 - file, 0);
            items.add(hpss.item(location));
        }
        RecordingListener listener = new RecordingListener();

        backend().stage(batch(items), listener);

        assertThat(listener.outcomes().values()).hasSize(12).allMatch(outcome -> outcome instanceof StagingOutcome.Fetched);
        assertThat(volumesMounted(hpss.events("MOUNT"))).containsExactlyInAnyOrder(volumes);
    }

    @Test
    void readsEachMountInStrictlyIncreasingPositionAndOffset() throws Exception {
        // positions handed over in scrambled order, with aggregates sharing a position
        long[][] places = {{500, 0}, {20, 7}, {20, 3}, {999, 0}, {20, 0}, {3, 0}, {750, 2}, {750, 1}};
        List<StagingItem> items = new ArrayList<>();
        for (int file = 0; file < places.length; file++) {
            String location = "agg/f" + file;
            hpss.onTape(location, "f" + file, file % 2 == 0 ? "EA0001" : "EA0002", places[file][0], places[file][1]);
            items.add(hpss.item(location));
        }

        backend().stage(batch(items), new RecordingListener());

        Map<Long, List<long[]>> readsBySession = new HashMap<>();
        for (HsiStandIn.Event read : hpss.events("READ")) {
            String[] place = read.field(1).split("\\+");
            readsBySession.computeIfAbsent(read.pid(), pid -> new ArrayList<>())
                    .add(new long[] {Long.parseLong(place[0]), Long.parseLong(place[1])});
        }
        assertThat(readsBySession).hasSize(2);
        assertThat(readsBySession.values().stream().mapToInt(List::size).sum()).isEqualTo(places.length);
        for (List<long[]> reads : readsBySession.values()) {
            for (int index = 1; index < reads.size(); index++) {
                long[] before = reads.get(index - 1);
                long[] after = reads.get(index);
                assertThat(after[0] > before[0] || (after[0] == before[0] && after[1] > before[1]))
                        .as("%d+%d follows %d+%d", after[0], after[1], before[0], before[1]).isTrue();
            }
        }
    }

    @Test
    void recallsDiskResidentFilesWithoutAMountAndBeforeTapeFiles() throws Exception {
        hpss.onTape("t/first", "tape", "EA0001", 5, 0).onDisk("d/cached1", "c1").onDisk("d/cached2", "c2");
        List<StagingItem> items = List.of(hpss.item("t/first"), hpss.item("d/cached1"), hpss.item("d/cached2"));
        HpssBackendFactory factory = hpss.factory();
        factory.setMaxSessions(1); // one session at a time, so "before" is observable
        RecordingListener listener = new RecordingListener();

        backend(factory).stage(batch(items), listener);

        assertThat(listener.outcomes().values()).hasSize(3).allMatch(outcome -> outcome instanceof StagingOutcome.Fetched);
        List<HsiStandIn.Event> diskReads = hpss.events("DISKREAD");
        assertThat(diskReads).extracting(HsiStandIn.Event::readPath)
                .containsExactly(HsiStandIn.hpssPath("d/cached1"), HsiStandIn.hpssPath("d/cached2"));
        long diskSession = diskReads.get(0).pid();
        assertThat(hpss.events("MOUNT")).hasSize(1).noneMatch(mount -> mount.pid() == diskSession);
        List<HsiStandIn.Event> events = hpss.events();
        assertThat(events.indexOf(diskReads.get(1))).isLessThan(events.indexOf(hpss.events("MOUNT").get(0)));
    }

    @Test
    void diskVolumePatternMarksDiskCacheLabels() throws Exception {
        hpss.set("HSI_STANDIN_DISK_LABEL", "DK000100").onDisk("d/cached", "c").onTape("t/x", "x", "EA0001", 1, 0);
        HpssBackendFactory factory = hpss.factory();
        factory.setDiskVolumePattern("DK.*");
        factory.setMaxSessions(1);
        RecordingListener listener = new RecordingListener();

        backend(factory).stage(batch(List.of(hpss.item("t/x"), hpss.item("d/cached"))), listener);

        assertThat(listener.outcomes().values()).allMatch(outcome -> outcome instanceof StagingOutcome.Fetched);
        List<HsiStandIn.Event> events = hpss.events();
        assertThat(events.indexOf(hpss.events("DISKREAD").get(0))).isLessThan(events.indexOf(hpss.events("MOUNT").get(0)));
    }

    @Test
    void failsAFileMissingFromHpssAloneAndStagesTheRest() throws Exception {
        hpss.onTape("v/a", "a", "EA0001", 1, 0).onTape("v/c", "c", "EA0001", 3, 0);
        StagingItem present1 = hpss.item("v/a");
        StagingItem missing = hpss.item("v/b-never-archived");
        StagingItem present2 = hpss.item("v/c");
        RecordingListener listener = new RecordingListener();

        backend().stage(batch(List.of(present1, missing, present2)), listener);

        assertThat(listener.outcome(missing)).isInstanceOf(StagingOutcome.Failed.class);
        assertThat(((StagingOutcome.Failed) listener.outcome(missing)).message())
                .startsWith("not in HPSS: " + HsiStandIn.hpssPath("v/b-never-archived") + " (")
                .contains("No such file", "HPSS_ENOENT");
        assertThat(listener.outcome(present1)).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(listener.outcome(present2)).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(hpss.events("MOUNT")).hasSize(1);
    }

    @Test
    void aListingThatTimesOutForOnePathRetriesItAndLocatesTheOthers() throws Exception {
        hpss.onTape("t/slow", "s", "EA0001", 1, 0).onTape("t/fine", "f", "EA0001", 2, 0)
                .failNext("ls", "t/slow", "timeout", 1);
        StagingItem slow = hpss.item("t/slow");
        StagingItem fine = hpss.item("t/fine");
        ArchiveBackend backend = backend();
        RecordingListener first = new RecordingListener();

        backend.stage(batch(List.of(slow, fine)), first);

        assertThat(first.outcome(slow)).isInstanceOfSatisfying(StagingOutcome.Retry.class, retry ->
                assertThat(retry.message()).contains("Connection timed out", "HPSS_ETIMEDOUT", HsiStandIn.hpssPath("t/slow")));
        assertThat(first.outcome(fine)).isInstanceOf(StagingOutcome.Fetched.class);
        RecordingListener second = new RecordingListener();
        backend.stage(batch(List.of(StagingItems.retryOf(slow))), second);
        assertThat(second.outcomes().values()).singleElement().isInstanceOf(StagingOutcome.Fetched.class);
    }

    @Test
    void aPermissionErrorOnGetFailsThatFileWithAClearMessage() throws Exception {
        hpss.onTape("perm/a", "a", "EA0001", 1, 0).onTape("perm/secret", "s", "EA0001", 2, 0)
                .onTape("perm/c", "c", "EA0001", 3, 0).failNext("get", "perm/secret", "eacces", 1);
        List<StagingItem> items = List.of(hpss.item("perm/a"), hpss.item("perm/secret"), hpss.item("perm/c"));
        RecordingListener listener = new RecordingListener();

        backend().stage(batch(items), listener);

        assertThat(listener.outcome(items.get(1))).isInstanceOfSatisfying(StagingOutcome.Failed.class, failed ->
                assertThat(failed.message()).startsWith("HPSS does not let this service's account read "
                        + HsiStandIn.hpssPath("perm/secret")).contains("HPSS_EACCES"));
        assertThat(listener.outcome(items.get(0))).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(listener.outcome(items.get(2))).isInstanceOf(StagingOutcome.Fetched.class);
    }

    @Test
    void promptsGluedToOutputWhenHsiReadsCommandsFromStandardInputAreTolerated() throws Exception {
        hpss.onTape("pr/a", "a", "EA0001", 1, 0).onTape("pr/vanishing", "v", "EA0001", 2, 0)
                .onTape("pr/c", "c", "EA0001", 3, 0).onDisk("pr/d", "d").failNext("get", "pr/vanishing", "missing", 1);
        StagingItem never = hpss.item("pr/never-archived");
        List<StagingItem> items = List.of(hpss.item("pr/a"), hpss.item("pr/vanishing"), hpss.item("pr/c"), hpss.item("pr/d"), never);
        HpssBackendFactory factory = hpss.factory();
        factory.setHsiPath(HsiStandIn.standardInputWrapper().toString());
        RecordingListener listener = new RecordingListener();

        backend(factory).stage(batch(items), listener);

        assertThat(listener.outcome(never)).isInstanceOfSatisfying(StagingOutcome.Failed.class, failed ->
                assertThat(failed.message()).startsWith("not in HPSS: " + HsiStandIn.hpssPath("pr/never-archived")));
        assertThat(listener.outcome(items.get(1))).isInstanceOfSatisfying(StagingOutcome.Failed.class, failed ->
                assertThat(failed.message()).startsWith("not in HPSS: " + HsiStandIn.hpssPath("pr/vanishing")));
        for (int index : new int[] {0, 2, 3}) {
            assertThat(listener.outcome(items.get(index))).isInstanceOf(StagingOutcome.Fetched.class);
        }
        assertThat(listener.content(items.get(2))).isEqualTo("c");
    }

    @Test
    void listsTwoHundredLongPathsInCommandsUnderHsisLineLimit() throws Exception {
        List<StagingItem> items = new ArrayList<>();
        for (int file = 0; file < 200; file++) {
            String location = "sequencing/project-0042/run-2024-11-30/lane-" + (file % 8) + "/sample-" + file + ".fastq.gz";
            hpss.onTape(location, "reads " + file, file % 2 == 0 ? "EA0001" : "EB0002", 1000 - file, 0);
            items.add(hpss.item(location));
        }
        RecordingListener listener = new RecordingListener();

        backend().stage(batch(items), listener);

        assertThat(listener.outcomes().values()).hasSize(200).allMatch(outcome -> outcome instanceof StagingOutcome.Fetched);
        assertThat(listener.content(items.get(199))).isEqualTo("reads 199");
        assertThat(hpss.events("TOOLONG")).as("command lines hsi refused").isEmpty();
        List<HsiStandIn.Event> listings = hpss.events("START").stream().filter(start -> start.detail().contains("ls -P")).toList();
        assertThat(listings.size()).as("ls -P calls for 200 paths of about 100 bytes").isGreaterThan(4);
        assertThat(hpss.events("LIST")).hasSize(200);
        assertThat(volumesMounted(hpss.events("MOUNT"))).containsExactlyInAnyOrder("EA0001", "EB0002");
    }

    @Test
    void aFileWhoseGetLineAloneIsTooLongFailsNamingTheKey() throws Exception {
        String longLocation = "deep/" + "d".repeat(180) + "/file";
        hpss.onDisk(longLocation, "x").onDisk("short", "y");
        HpssBackendFactory factory = hpss.factory();
        factory.setMaxCommandLineBytes(250);
        StagingItem tooLong = hpss.item(longLocation);
        StagingItem fine = hpss.item("short");
        RecordingListener listener = new RecordingListener();

        backend(factory).stage(batch(List.of(tooLong, fine)), listener);

        assertThat(listener.outcome(tooLong)).isInstanceOfSatisfying(StagingOutcome.Failed.class, failed ->
                assertThat(failed.message()).contains("backend.maxCommandLineBytes (250)"));
        assertThat(listener.outcome(fine)).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(hpss.events("TOOLONG")).isEmpty();
    }

    @Test
    void failsAFileThatVanishesBeforeItsGetWithoutFailingItsVolumeNeighbours() throws Exception {
        hpss.onTape("v/a", "a", "EA0001", 1, 0).onTape("v/b", "b", "EA0001", 2, 0).onTape("v/c", "c", "EA0001", 3, 0)
                .failNext("get", "v/b", "missing", 1);
        StagingItem before = hpss.item("v/a");
        StagingItem vanished = hpss.item("v/b");
        StagingItem after = hpss.item("v/c");
        RecordingListener listener = new RecordingListener();

        backend().stage(batch(List.of(vanished, after, before)), listener);

        assertThat(listener.outcome(vanished)).isInstanceOf(StagingOutcome.Failed.class);
        assertThat(listener.outcome(before)).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(listener.outcome(after)).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(listener.content(after)).isEqualTo("c");
        assertThat(hpss.events("READ").stream().map(HsiStandIn.Event::pid).distinct()).hasSize(1);
    }

    @Test
    void retriesOnTemporaryFailureAndSucceedsOnTheNextAttempt() throws Exception {
        hpss.onTape("r/1", "1", "EA0001", 1, 0).onTape("r/2", "2", "EA0001", 2, 0).onTape("r/3", "3", "EA0001", 3, 0)
                .failNext("get", "r/2", "exit75", 1);
        List<StagingItem> items = List.of(hpss.item("r/1"), hpss.item("r/2"), hpss.item("r/3"));
        ArchiveBackend backend = backend();
        RecordingListener firstAttempt = new RecordingListener();

        backend.stage(batch(items), firstAttempt);

        assertThat(firstAttempt.outcome(items.get(0))).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(firstAttempt.outcome(items.get(1))).isInstanceOf(StagingOutcome.Retry.class);
        assertThat(((StagingOutcome.Retry) firstAttempt.outcome(items.get(1))).message()).contains("HPSS_EAGAIN");
        assertThat(firstAttempt.outcome(items.get(2))).isInstanceOf(StagingOutcome.Retry.class);
        assertThat(((StagingOutcome.Retry) firstAttempt.outcome(items.get(2))).message()).contains("exit 75");

        List<StagingItem> retries = List.of(StagingItems.retryOf(items.get(1)), StagingItems.retryOf(items.get(2)));
        RecordingListener secondAttempt = new RecordingListener();
        backend.stage(batch(retries), secondAttempt);

        assertThat(secondAttempt.outcomes().values()).hasSize(2).allMatch(outcome -> outcome instanceof StagingOutcome.Fetched);
        assertThat(secondAttempt.content(retries.get(0))).isEqualTo("2");
    }

    @Test
    void retriesWhenTheConnectionDropsWithoutAnErrorLine() throws Exception {
        hpss.onTape("r/1", "1", "EA0001", 1, 0).onTape("r/2", "2", "EA0001", 2, 0).failNext("get", "r/2", "drop75", 1);
        List<StagingItem> items = List.of(hpss.item("r/1"), hpss.item("r/2"));
        RecordingListener listener = new RecordingListener();

        backend().stage(batch(items), listener);

        assertThat(listener.outcome(items.get(0))).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(listener.outcome(items.get(1))).isInstanceOf(StagingOutcome.Retry.class);
    }

    @Test
    void aSilentPermanentExitFailsTheFileItStoppedAtAndRetriesTheRest() throws Exception {
        hpss.onTape("p/1", "1", "EA0001", 1, 0).onTape("p/2", "2", "EA0001", 2, 0).onTape("p/3", "3", "EA0001", 3, 0)
                .failNext("get", "p/2", "drop77", 1);
        List<StagingItem> items = List.of(hpss.item("p/1"), hpss.item("p/2"), hpss.item("p/3"));
        RecordingListener listener = new RecordingListener();

        backend().stage(batch(items), listener);

        assertThat(listener.outcome(items.get(0))).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(listener.outcome(items.get(1))).isInstanceOfSatisfying(StagingOutcome.Failed.class,
                failed -> assertThat(failed.message()).contains("hsi stopped at", "p/2"));
        assertThat(listener.outcome(items.get(2))).isInstanceOf(StagingOutcome.Retry.class);
    }

    @Test
    void retriesAListingThatFailsTemporarily() throws Exception {
        hpss.onTape("l/1", "1", "EA0001", 1, 0).failNext("ls", null, "exit75", 1);
        StagingItem item = hpss.item("l/1");
        ArchiveBackend backend = backend();
        RecordingListener first = new RecordingListener();

        backend.stage(batch(List.of(item)), first);
        RecordingListener second = new RecordingListener();
        backend.stage(batch(List.of(StagingItems.retryOf(item))), second);

        assertThat(first.outcome(item)).isInstanceOf(StagingOutcome.Retry.class);
        assertThat(second.outcome(item)).isInstanceOf(StagingOutcome.Fetched.class);
    }

    @Test
    void killsAHungRecallAndReportsRetry() throws Exception {
        hpss.onTape("h/1", "1", "EA0001", 1, 0).onTape("h/2", "2", "EA0001", 2, 0).failNext("get", "h/2", "hang", 1);
        HpssBackendFactory factory = hpss.factory();
        factory.setFetchIdleTimeout(Duration.milliseconds(800));
        List<StagingItem> items = List.of(hpss.item("h/1"), hpss.item("h/2"));
        RecordingListener listener = new RecordingListener();

        long started = System.nanoTime();
        backend(factory).stage(batch(items), listener);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(listener.outcome(items.get(0))).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(listener.outcome(items.get(1))).isInstanceOf(StagingOutcome.Retry.class);
        assertThat(((StagingOutcome.Retry) listener.outcome(items.get(1))).message()).contains("no progress");
        assertThat(tookMillis).isLessThan(8_000);
        long hungPid = hpss.events("HANG").get(0).pid();
        assertThat(ProcessHandle.of(hungPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void aFileWhoseGetAlwaysHangsDoesNotHoldBackTheFilesAfterItOnItsTape() throws Exception {
        for (int file = 1; file <= 5; file++) {
            hpss.onTape("hung/" + file, "content " + file, "EA0001", file, 0);
        }
        hpss.failNext("get", "hung/2", "hang", 99);
        HpssBackendFactory factory = hpss.factory();
        factory.setFetchIdleTimeout(Duration.milliseconds(800));
        ArchiveBackend backend = backend(factory);
        List<StagingItem> items = new ArrayList<>();
        for (int file = 1; file <= 5; file++) {
            items.add(hpss.item("hung/" + file));
        }
        RecordingListener listener = new RecordingListener();

        backend.stage(batch(items), listener);

        assertThat(listener.outcome(items.get(1))).isInstanceOfSatisfying(StagingOutcome.Retry.class, retry ->
                assertThat(retry.message()).contains("no progress", "reading " + HsiStandIn.hpssPath("hung/2")));
        for (int index : new int[] {0, 2, 3, 4}) {
            assertThat(listener.outcome(items.get(index))).as("hung/" + (index + 1)).isInstanceOf(StagingOutcome.Fetched.class);
            assertThat(listener.content(items.get(index))).isEqualTo("content " + (index + 1));
        }
        assertThat(hpss.events("HANG")).hasSize(1);
        long hungSession = hpss.events("HANG").get(0).pid();
        assertThat(hpss.events("READ")).filteredOn(read -> read.readPath().endsWith("/hung/3"))
                .singleElement().satisfies(read -> assertThat(read.pid()).isNotEqualTo(hungSession));

        // the service tries the hung file again: it alone hangs, and nothing else is read
        RecordingListener again = new RecordingListener();
        backend.stage(batch(List.of(StagingItems.retryOf(items.get(1)))), again);
        assertThat(again.outcomes().values()).singleElement().isInstanceOf(StagingOutcome.Retry.class);
        assertThat(hpss.events("READ")).hasSize(4);
    }

    @Test
    void aSessionThatHangsWhateverItReadsCostsTwoTimeOutsNotOnePerFile() throws Exception {
        List<StagingItem> items = new ArrayList<>();
        for (int file = 1; file <= 6; file++) {
            hpss.onTape("stuck/" + file, "s" + file, "EA0001", file, 0);
            items.add(hpss.item("stuck/" + file));
        }
        hpss.failNext("get", null, "hang", 99);
        HpssBackendFactory factory = hpss.factory();
        factory.setFetchIdleTimeout(Duration.milliseconds(600));
        RecordingListener listener = new RecordingListener();

        backend(factory).stage(batch(items), listener);

        assertThat(listener.outcomes().values()).hasSize(6).allMatch(outcome -> outcome instanceof StagingOutcome.Retry);
        assertThat(hpss.events("HANG")).as("sessions killed").hasSize(2);
    }

    @Test
    void killsAHungListingAndReportsRetry() throws Exception {
        hpss.onTape("h/1", "1", "EA0001", 1, 0).failNext("ls", null, "hang", 1);
        HpssBackendFactory factory = hpss.factory();
        factory.setListTimeout(Duration.milliseconds(800));
        StagingItem item = hpss.item("h/1");
        RecordingListener listener = new RecordingListener();

        backend(factory).stage(batch(List.of(item)), listener);

        assertThat(listener.outcome(item)).isInstanceOf(StagingOutcome.Retry.class);
        assertThat(((StagingOutcome.Retry) listener.outcome(item)).message()).contains("killed");
        long hungPid = hpss.events("HANG").get(0).pid();
        assertThat(ProcessHandle.of(hungPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void cancellingBeforeTheBatchWindowClosesStartsNoHsi() throws Exception {
        hpss.onTape("c/1", "1", "EA0001", 1, 0).onTape("c/2", "2", "EA0002", 1, 0);
        HpssBackendFactory factory = hpss.factory();
        factory.setBatchWindow(Duration.milliseconds(600));
        ArchiveBackend backend = backend(factory);
        List<StagingItem> items = List.of(hpss.item("c/1"), hpss.item("c/2"));
        StagingBatch batch = batch(items);
        RecordingListener listener = new RecordingListener();

        Future<?> staging = threads.submit(() -> {
            backend.stage(batch, listener);
            return null;
        });
        Thread.sleep(100);
        batch.cancel(items);
        staging.get(5, TimeUnit.SECONDS);
        Thread.sleep(800); // past the window: nothing may start now

        assertThat(listener.outcomes().values()).hasSize(2).allMatch(outcome -> outcome instanceof StagingOutcome.Cancelled);
        assertThat(hpss.events("START")).isEmpty();
    }

    @Test
    void cancellingDuringARecallEndsHsiWhenNoFileIsWantedAnyMore() throws Exception {
        List<StagingItem> items = new ArrayList<>();
        for (int file = 0; file < 6; file++) {
            hpss.onTape("slow/" + file, "s" + file, "EA0001", file + 1, 0);
            items.add(hpss.item("slow/" + file));
        }
        hpss.set("HSI_STANDIN_READ_MS", "300");
        ArchiveBackend backend = backend();
        StagingBatch batch = batch(items);
        RecordingListener listener = new RecordingListener();
        listener.onReport(item -> {
            if (item.equals(items.get(0))) {
                batch.cancel(items.subList(1, items.size())); // the service cancels the rest
            }
        });

        backend.stage(batch, listener);

        assertThat(listener.outcome(items.get(0))).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(items.subList(1, items.size())).allMatch(item -> listener.outcome(item) instanceof StagingOutcome.Cancelled);
        assertThat(hpss.events("READ").size()).isLessThan(4);
        long pid = hpss.events("START").get(hpss.events("START").size() - 1).pid();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void cancellingOneBatchKeepsARecallAnotherBatchStillNeeds() throws Exception {
        hpss.onTape("shared/1", "x1", "EA0001", 1, 0).onTape("shared/2", "x2", "EA0001", 2, 0);
        hpss.set("HSI_STANDIN_READ_MS", "200");
        ArchiveBackend backend = backend();
        List<StagingItem> cancelledItems = List.of(hpss.item("shared/1"), hpss.item("shared/2"));
        List<StagingItem> keptItems = List.of(hpss.item("shared/1"), hpss.item("shared/2"));
        StagingBatch cancelledBatch = batch(cancelledItems);
        RecordingListener cancelledListener = new RecordingListener();
        RecordingListener keptListener = new RecordingListener();

        Future<?> cancelledStaging = threads.submit(() -> {
            backend.stage(cancelledBatch, cancelledListener);
            return null;
        });
        Future<?> keptStaging = threads.submit(() -> {
            backend.stage(batch(keptItems), keptListener);
            return null;
        });
        Thread.sleep(400); // window closed, recall under way
        cancelledBatch.cancel(cancelledItems);
        cancelledStaging.get(10, TimeUnit.SECONDS);
        keptStaging.get(10, TimeUnit.SECONDS);

        assertThat(cancelledListener.outcomes().values()).hasSize(2).allMatch(outcome -> outcome instanceof StagingOutcome.Cancelled);
        assertThat(keptListener.outcomes().values()).hasSize(2).allMatch(outcome -> outcome instanceof StagingOutcome.Fetched);
        assertThat(keptListener.content(keptItems.get(1))).isEqualTo("x2");
        assertThat(hpss.events("MOUNT")).hasSize(1);
    }

    @Test
    void concurrentStageCallsInOneWindowShareOneMountPerVolume() throws Exception {
        String[] volumes = {"EA0001", "EA0002", "EA0003"};
        List<List<StagingItem>> batches = new ArrayList<>();
        for (int request = 0; request < 4; request++) {
            List<StagingItem> items = new ArrayList<>();
            for (int file = 0; file < 6; file++) {
                String location = "req" + request + "/f" + file;
                hpss.onTape(location, location, volumes[(request + file) % 3], request * 10 + file, 0);
                items.add(hpss.item(location));
            }
            batches.add(items);
        }
        HpssBackendFactory factory = hpss.factory();
        factory.setBatchWindow(Duration.milliseconds(400));
        ArchiveBackend backend = backend(factory);
        RecordingListener listener = new RecordingListener();
        CountDownLatch ready = new CountDownLatch(batches.size());

        List<Future<?>> stagings = new ArrayList<>();
        for (List<StagingItem> items : batches) {
            stagings.add(threads.submit(() -> {
                ready.countDown();
                ready.await();
                backend.stage(batch(items), listener);
                return null;
            }));
        }
        for (Future<?> staging : stagings) {
            staging.get(20, TimeUnit.SECONDS);
        }

        assertThat(listener.outcomes().values()).hasSize(24).allMatch(outcome -> outcome instanceof StagingOutcome.Fetched);
        assertThat(volumesMounted(hpss.events("MOUNT"))).containsExactlyInAnyOrder(volumes);
        for (List<StagingItem> items : batches) {
            for (StagingItem item : items) {
                assertThat(listener.content(item)).isEqualTo(item.archiveLocation());
            }
        }
    }

    @Test
    void aRequestForAFileAlreadyPlannedJoinsItInsteadOfRecallingAgain() throws Exception {
        hpss.onTape("dup/file", "shared bytes", "EA0001", 7, 0).onTape("dup/other", "o", "EA0001", 9, 0);
        hpss.set("HSI_STANDIN_READ_MS", "500");
        ArchiveBackend backend = backend();
        StagingItem first = hpss.item("dup/file");
        StagingItem other = hpss.item("dup/other");
        StagingItem second = hpss.item("dup/file");
        RecordingListener listener = new RecordingListener();

        Future<?> firstStaging = threads.submit(() -> {
            backend.stage(batch(List.of(first, other)), listener);
            return null;
        });
        while (hpss.events("LOCATE").isEmpty()) { // hsi is now reading dup/file, which takes 500 ms
            Thread.sleep(10);
        }
        backend.stage(batch(List.of(second)), listener);
        firstStaging.get(10, TimeUnit.SECONDS);

        assertThat(listener.content(first)).isEqualTo("shared bytes");
        assertThat(listener.content(second)).isEqualTo("shared bytes");
        assertThat(hpss.events("READ").stream().filter(read -> read.readPath().equals(HsiStandIn.hpssPath("dup/file")))).hasSize(1);
        assertThat(hpss.events("MOUNT")).hasSize(1);
    }

    @Test
    void interruptingStageEndsItsHsiAndReturnsWithoutOutcomes() throws Exception {
        List<StagingItem> items = new ArrayList<>();
        for (int file = 0; file < 5; file++) {
            hpss.onTape("int/" + file, "i" + file, "EA0001", file, 0);
            items.add(hpss.item("int/" + file));
        }
        hpss.set("HSI_STANDIN_READ_MS", "400");
        ArchiveBackend backend = backend();
        RecordingListener listener = new RecordingListener();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                backend.stage(batch(items), listener);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });

        worker.start();
        while (hpss.events("MOUNT").isEmpty()) {
            Thread.sleep(20);
        }
        worker.interrupt();
        worker.join(5_000);

        assertThat(worker.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        long pid = hpss.events("MOUNT").get(0).pid();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(listener.outcomes()).hasSizeLessThan(items.size());
    }

    @Test
    void refusesLocationsOutsideTheRootOrUnsafeForHsiWithoutCallingIt() throws Exception {
        StagingItem escaping = hpss.item("../other-project/secret");
        StagingItem wildcard = hpss.item("data/*.fastq");
        RecordingListener listener = new RecordingListener();

        backend().stage(batch(List.of(escaping, wildcard)), listener);

        assertThat(listener.outcome(escaping)).isInstanceOf(StagingOutcome.Failed.class);
        assertThat(listener.outcome(wildcard)).isInstanceOf(StagingOutcome.Failed.class);
        assertThat(hpss.events("START")).isEmpty();
    }

    @Test
    void neitherDeletesNorWritesATemporaryFileBelowADirectorySwappedForALinkOutOfTheStagingRoot() throws Exception {
        hpss.onTape("a/one.fastq", "recalled bytes", "EA0001", 10, 0).onTape("a/two.fastq", "two", "EA0001", 20, 0);
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve(".tmp-x"), "someone else's file");
        // a staging user replaced the directory of the first file's temporary file by a link leading out
        Files.createSymbolicLink(hpss.stagingRoot().resolve("ev"), outside);
        StagingItem linked = StagingItems.item("linked").location("a/one.fastq").stagingPath("ev/one.fastq")
                .temporaryFile(hpss.stagingRoot().resolve("ev").resolve(".tmp-x")).build();
        StagingItem plain = hpss.item("a/two.fastq");
        RecordingListener listener = new RecordingListener();

        backend().stage(batch(List.of(linked, plain)), listener);

        assertThat(Files.readString(outside.resolve(".tmp-x"))).isEqualTo("someone else's file");
        assertThat(listener.outcome(linked)).isInstanceOf(StagingOutcome.Retry.class);
        assertThat(((StagingOutcome.Retry) listener.outcome(linked)).message()).contains("symbolic link leading out");
        assertThat(listener.outcome(plain)).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(hpss.events("READ")).extracting(HsiStandIn.Event::readPath).containsExactly(HsiStandIn.ARCHIVE_ROOT + "/a/two.fastq");
    }

    @Test
    void passesConfiguredArgumentsWithSecretsFromTheEnvironmentOnly() throws Exception {
        hpss.onDisk("auth/file", "x");
        HpssBackendFactory factory = hpss.factory();
        factory.setHsiArguments(List.of("-A", "combo", "-l", "stagehand", "-P", "${env:HPSS_TEST_SECRET}"));
        ArchiveBackend backend = hpss.build(factory, Map.of("HPSS_TEST_SECRET", "s3cret"));
        backends.add(backend);
        StagingItem item = hpss.item("auth/file");
        RecordingListener listener = new RecordingListener();

        backend.stage(batch(List.of(item)), listener);

        assertThat(listener.outcome(item)).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(hpss.events("START")).isNotEmpty()
                .allMatch(start -> start.detail().startsWith("-A combo -l stagehand -P s3cret -q"));
        Hsi hsi = new Hsi(Path.of("/bin/hsi"), factory.getHsiArguments(), Map.of(), ServiceEnvironment.of(Map.of("HPSS_TEST_SECRET", "s3cret")));
        assertThat(hsi.describe("ls -P /x")).contains("${env:HPSS_TEST_SECRET}").doesNotContain("s3cret");
    }

    @Test
    void buildFailsWhenAnArgumentNamesAnUnsetVariable() throws Exception {
        HpssBackendFactory factory = hpss.factory();
        factory.setHsiArguments(List.of("-P", "${env:STAGEHAND_TEST_SURELY_UNSET_VARIABLE}"));

        assertThatThrownBy(() -> hpss.build(factory))
                .hasMessageContaining("backend.hsiArguments")
                .hasMessageContaining("STAGEHAND_TEST_SURELY_UNSET_VARIABLE");
    }

    @Test
    void reportsUnhealthyWhenHsiIsMissingAndHealthyWhenPresent() throws Exception {
        Path copy = temp.resolve("hsi-copy");
        Files.copy(HsiStandIn.executable(), copy);
        HpssBackendFactory factory = hpss.factory();
        factory.setHsiPath(copy.toString());
        ArchiveBackend backend = backend(factory);

        assertThat(backend.checkHealth().healthy()).isTrue();
        Files.delete(copy);
        assertThat(backend.checkHealth().healthy()).isFalse();
        assertThat(backend.checkHealth().message()).contains("backend.hsiPath");
    }
}
