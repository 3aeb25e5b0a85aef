package org.stagehand.requests;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.db.DatabaseFailures;
import org.stagehand.http.ApiException;

/**
 * Stores the small requests that arrive at the same moment in one transaction. A request of ten
 * files costs the database little per file and much per statement and per commit; a few writer
 * threads take whatever has queued up while they were busy, so under load one transaction carries
 * many requests, and when the service is quiet a request is written alone, at once. Each caller
 * still waits for the commit that holds its request: a 201 always means stored.
 */
final class RequestWriter {

    /** Stores requests in one transaction. */
    @FunctionalInterface
    interface Store {
        /**
         * @return the requests refused (unknown IDs), by request ID; the others are stored
         * @throws RuntimeException when nothing could be stored; the requests are then stored again
     *     one by one, unless the database is out of reach
         */
        Map<UUID, ApiException> store(List<NewRequest> requests);
    }

    /**
     * A request as parsed: its new ID and its distinct file IDs; for a request named by paths, also
     * what was asked by path ({@code byPath}, else null); from some doors, who asked ({@code origin},
     * else null). A path request is first stored as its list of paths ({@code listed}, with no file
     * IDs yet); its expansion into files' rows is a request that {@code expands} the stored one.
     */
    record NewRequest(UUID requestId, List<String> ids, PathRows byPath, RequestOrigin origin, PathList listed,
                      boolean expands) {
        NewRequest(UUID requestId, List<String> ids) {
            this(requestId, ids, null, null);
        }

        NewRequest(UUID requestId, List<String> ids, PathRows byPath) {
            this(requestId, ids, byPath, null);
        }

        NewRequest(UUID requestId, List<String> ids, PathRows byPath, RequestOrigin origin) {
            this(requestId, ids, byPath, origin, null, false);
        }

        /** A path request stored as its list, to be expanded later. */
        static NewRequest listed(UUID requestId, PathList paths) {
            return new NewRequest(requestId, List.of(), null, null, paths, false);
        }

        /** The expansion of a stored list into the files it names. */
        static NewRequest expansion(UUID requestId, List<String> ids, PathRows byPath) {
            return new NewRequest(requestId, ids, byPath, null, null, true);
        }

        /** Its files, or the paths of its list. */
        int size() {
            return listed != null ? listed.size() : ids.size();
        }

        /**
         * What it adds to a transaction, in files: a list is one row whatever its length, so a
         * transaction takes more of them (and commits less often) than of requests with rows per file.
         */
        int weight() {
            return listed != null ? Math.max(1, listed.size() / LIST_WEIGHT_DIVISOR) : ids.size();
        }

        /** Who asked, for a request named by paths; else null. */
        String client() {
            return listed != null ? listed.client() : byPath != null ? byPath.client() : null;
        }

        /** The pin asked for, for a request named by paths; else null. */
        Long pinSeconds() {
            return listed != null ? listed.pinSeconds() : byPath != null ? byPath.pinSeconds() : null;
        }

        /**
         * Whether it is written in a transaction of its own: a request with an integer ID (a unique
         * key, drawn at random) may clash, and a clash must fail no other request.
         */
        boolean alone() {
            return size() > MOST_FILES_MERGED || (origin != null && origin.jdpRequestId() != null);
        }
    }

    private record QueuedRequest(NewRequest request, CompletableFuture<Void> stored) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(RequestWriter.class);

    /** More files than this and a request is written on its caller's thread, on its own. */
    static final int MOST_FILES_MERGED = 1000;
    /** A writer stops taking requests once its transaction has this many files. */
    private static final int FILES_PER_TRANSACTION = 5000;
    /** Paths of a list that weigh as much in a transaction as one file's rows. */
    private static final int LIST_WEIGHT_DIVISOR = 4;

    private final Store store;
    private final int writers;
    private final BlockingQueue<QueuedRequest> queue = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    RequestWriter(Store store, int writers) {
        this.store = store;
        this.writers = writers;
    }

    /**
     * Stores the request, alone or with others; returns once it is committed.
     *
     * @throws ApiException when the request is refused (404 for unknown IDs)
     * @throws RuntimeException the database's failure, when nothing could be stored
     */
    void write(NewRequest request) {
        if (!running || request.alone()) {
            throwIfRefused(store.store(List.of(request)), request);
            return;
        }
        QueuedRequest queued = new QueuedRequest(request, new CompletableFuture<>());
        queue.add(queued);
        if (!running && queue.remove(queued)) {
            // stopped between the check and the add: no writer will take it
            throw stopping();
        }
        try {
            queued.stored().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** How many requests wait for a writer. */
    int queued() {
        return queue.size();
    }

    private static void throwIfRefused(Map<UUID, ApiException> refused, NewRequest request) {
        ApiException refusal = refused.get(request.requestId());
        if (refusal != null) {
            throw refusal;
        }
    }

    void start() {
        running = true;
        for (int i = 0; i < writers; i++) {
            Thread thread = new Thread(this::writeUntilStopped, "stagehand-request-writer-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /**
     * Stops taking requests: those still queued are answered 503 at once, batches being written are
     * finished.
     */
    void stop() throws InterruptedException {
        running = false;
        QueuedRequest left;
        while ((left = queue.poll()) != null) {
            left.stored().completeExceptionally(stopping());
        }
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            thread.join(10_000);
        }
        threads.clear();
    }

    private static ApiException stopping() {
        return new ApiException(503, "the service is stopping; nothing was stored, try again");
    }

    private void writeUntilStopped() {
        List<QueuedRequest> batch = new ArrayList<>();
        while (running) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            int files = batch.get(0).request().weight();
            QueuedRequest next;
            while (files < FILES_PER_TRANSACTION && (next = queue.poll()) != null) {
                batch.add(next);
                files += next.request().weight();
            }
            write(batch);
            batch.clear();
        }
    }

    private void write(List<QueuedRequest> batch) {
        try {
            Map<UUID, ApiException> refused = store.store(batch.stream().map(QueuedRequest::request).toList());
            for (QueuedRequest queued : batch) {
                ApiException refusal = refused.get(queued.request().requestId());
                if (refusal == null) {
                    queued.stored().complete(null);
                } else {
                    queued.stored().completeExceptionally(refusal);
                }
            }
        } catch (RuntimeException e) {
            if (batch.size() > 1 && !DatabaseFailures.isUnavailable(e)) {
                // One request's statement may be what failed (input the checks did not foresee):
                // each is stored again on its own, so it fails alone and the others are stored.
                LOG.warn("storing {} requests together failed ({}); storing each on its own", batch.size(), e.toString());
                batch.forEach(queued -> write(List.of(queued)));
                return;
            }
            // The database is out of reach: every request of the transaction fails alike.
            LOG.debug("storing {} requests together failed", batch.size(), e);
            batch.forEach(queued -> queued.stored().completeExceptionally(e));
        } catch (Error e) {
            batch.forEach(queued -> queued.stored().completeExceptionally(e));
            throw e;
        }
    }
}
