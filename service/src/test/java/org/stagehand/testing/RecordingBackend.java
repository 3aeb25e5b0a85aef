package org.stagehand.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.BackendHealth;
import org.stagehand.backend.OutcomeListener;
import org.stagehand.backend.StagingBatch;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;

/** Copies {@code root/<archive location>} to the temporary file, counting and optionally holding copies. */
public final class RecordingBackend implements ArchiveBackend {

    private static final Map<String, Recorder> RECORDERS = new ConcurrentHashMap<>();

    private final Path root;
    private final Recorder recorder;

    RecordingBackend(Path root, Recorder recorder) {
        this.root = root;
        this.recorder = recorder;
    }

    /** The recorder of the backend configured with {@code name: <name>}, created on first use. */
    public static Recorder recorder(String name) {
        return RECORDERS.computeIfAbsent(name, key -> new Recorder());
    }

    /** What a test sees of, and tells, the backends of one name. */
    public static final class Recorder {
        private final Map<String, AtomicInteger> copies = new ConcurrentHashMap<>();
        private final AtomicInteger concurrentCopies = new AtomicInteger();
        private final AtomicInteger mostConcurrentCopiesOfOneFile = new AtomicInteger();
        private final Map<String, AtomicInteger> inProgress = new ConcurrentHashMap<>();
        private final Set<String> held = ConcurrentHashMap.newKeySet();
        private final Set<String> cancelledWhileHeld = ConcurrentHashMap.newKeySet();
        private final CountDownLatch release = new CountDownLatch(1);
        private volatile long delayMillis;
        private final Map<String, AtomicInteger> transientFailuresLeft = new ConcurrentHashMap<>();

        /** How many times the file was copied. */
        public int copiesOf(String fileId) {
            AtomicInteger count = copies.get(fileId);
            return count == null ? 0 : count.get();
        }

        /** The most copies of one file that ever ran at the same time. */
        public int mostConcurrentCopiesOfOneFile() {
            return mostConcurrentCopiesOfOneFile.get();
        }

        /** Copies of these files write half their bytes, then wait for {@link #releaseHeld()}. */
        public void hold(String... fileIds) {
            held.addAll(Set.of(fileIds));
        }

        public void releaseHeld() {
            release.countDown();
        }

        /** Whether the service cancelled a held copy of the file while it waited. */
        public boolean wasCancelledWhileHeld(String fileId) {
            return cancelledWhileHeld.contains(fileId);
        }

        /** The next {@code times} copies of the file report a transient failure. */
        public void failTransiently(String fileId, int times) {
            transientFailuresLeft.put(fileId, new AtomicInteger(times));
        }

        /** Every copy takes at least this long. */
        public void delayEachCopy(long millis) {
            delayMillis = millis;
        }
    }

    @Override
    public void stage(StagingBatch batch, OutcomeListener listener) throws InterruptedException {
        for (StagingItem item : batch.items()) {
            if (batch.isCancelled(item)) {
                listener.report(item, StagingOutcome.cancelled());
                continue;
            }
            AtomicInteger running = recorder.inProgress.computeIfAbsent(item.fileId(), id -> new AtomicInteger());
            int now = running.incrementAndGet();
            recorder.mostConcurrentCopiesOfOneFile.accumulateAndGet(now, Math::max);
            recorder.copies.computeIfAbsent(item.fileId(), id -> new AtomicInteger()).incrementAndGet();
            try {
                listener.report(item, copy(batch, item));
            } catch (IOException e) {
                listener.report(item, StagingOutcome.retry(e.toString()));
            } finally {
                running.decrementAndGet();
            }
        }
    }

    private StagingOutcome copy(StagingBatch batch, StagingItem item) throws IOException, InterruptedException {
        AtomicInteger failuresLeft = recorder.transientFailuresLeft.get(item.fileId());
        if (failuresLeft != null && failuresLeft.getAndDecrement() > 0) {
            return StagingOutcome.retry("simulated transient failure of attempt " + item.attempt());
        }
        Path source = root.resolve(item.archiveLocation());
        if (!Files.isRegularFile(source)) {
            return StagingOutcome.failed("not in the archive: " + item.archiveLocation());
        }
        byte[] bytes = Files.readAllBytes(source);
        try (OutputStream out = Files.newOutputStream(item.temporaryFile())) {
            if (recorder.held.contains(item.fileId())) {
                out.write(bytes, 0, bytes.length / 2);
                out.flush();
                while (!recorder.release.await(20, TimeUnit.MILLISECONDS)) {
                    if (batch.isCancelled(item)) {
                        recorder.cancelledWhileHeld.add(item.fileId());
                        return StagingOutcome.cancelled();
                    }
                }
                out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
            } else {
                out.write(bytes);
            }
        }
        if (recorder.delayMillis > 0) {
            Thread.sleep(recorder.delayMillis);
        }
        return StagingOutcome.fetched();
    }

    @Override
    public BackendHealth checkHealth() {
        return Files.isDirectory(root) ? BackendHealth.healthy("test archive " + root)
                : BackendHealth.unhealthy("test archive " + root + " is missing");
    }
}
