package org.stagehand.area;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Flushing files and directories to disk, many at once: the promotion's part that waits on the disk. */
final class Flushes {

    private static final Logger LOG = LoggerFactory.getLogger(Flushes.class);

    private Flushes() {
    }

    interface FileAction<T> {
        void apply(T subject) throws IOException;
    }

    /** Applies an action to each subject, in parallel when there are several; returns the failures. */
    static <T> Map<T, IOException> inParallel(Collection<T> subjects, FileAction<T> action, Executor executor)
            throws InterruptedException {
        Map<T, IOException> failures = new ConcurrentHashMap<>();
        // One subject is handled on the calling thread: a lone file need not wait for a pool thread.
        Executor runner = subjects.size() == 1 ? Runnable::run : executor;
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (T subject : subjects) {
            running.add(CompletableFuture.runAsync(() -> {
                try {
                    action.apply(subject);
                } catch (IOException e) {
                    failures.put(subject, e);
                }
            }, runner));
        }
        try {
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a flush failed unexpectedly", e.getCause());
        }
        return failures;
    }

    /** Flushes a file or directory to disk. */
    static void flush(Path file) throws IOException {
        // Opened for reading: Linux flushes through any descriptor, and a copy found in place may be read-only.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    static void syncDirectory(Path directory) {
        try {
            flush(directory);
        } catch (IOException e) {
            // Some file systems refuse to open or sync directories; the rename is still atomic there.
            LOG.debug("cannot sync directory {}: {}", directory, e.toString());
        }
    }
}
