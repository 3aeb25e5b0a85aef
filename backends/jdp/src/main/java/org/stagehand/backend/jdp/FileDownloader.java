package org.stagehand.backend.jdp;

import com.codahale.metrics.Meter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.Checksum;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.jdp.JdpClient.DownloadResponse;
import org.stagehand.backend.support.Backoff;
import org.stagehand.backend.support.Wakeup;

/**
 * Downloads one restored file into its temporary file: streams it through a fixed buffer, hashes
 * it on the way, resumes with {@code Range} after a broken connection, and re-downloads a body
 * whose size or checksum is wrong. Only a verified file is reported fetched.
 */
final class FileDownloader {

    private static final Logger LOG = LoggerFactory.getLogger(FileDownloader.class);
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");

    /** What became of one download. */
    sealed interface Result {
        /** Finished: report this outcome. */
        record Done(StagingOutcome outcome) implements Result {
        }

        /** The upstream refuses the file as not (or no longer) restored: restore it again. */
        record NeedsRestore(String message) implements Result {
        }

        /** The upstream answered 409: the file is still on tape. */
        record StillOnTape(String message) implements Result {
        }

        /** The thread was interrupted: leave the item unreported. */
        record Interrupted() implements Result {
        }
    }

    /** Lets the batch see and stop a running download. */
    interface Watch {
        boolean cancelled();

        /** Signalled when the service cancels an item of the batch. */
        Wakeup cancellations();

        void started(DownloadResponse response);

        void finished();
    }

    private final JdpClient client;
    private final JdpSettings settings;
    /** Between download attempts of one file: retryBackoff, doubling, at most maxRetryWait. */
    private final Backoff backoff;
    private final Meter downloadedBytes;
    /** One buffer per download thread: a fresh one per file would churn the heap on many small files. */
    private final ThreadLocal<byte[]> buffers;

    FileDownloader(JdpClient client, JdpSettings settings, Meter downloadedBytes) {
        this.client = client;
        this.settings = settings;
        this.backoff = new Backoff(settings.retryBackoff(), settings.maxRetryWait());
        this.downloadedBytes = downloadedBytes;
        this.buffers = ThreadLocal.withInitial(() -> new byte[settings.bufferBytes()]);
    }

    /** The progress of one file across attempts. */
    private static final class Progress {
        final String algorithm;
        MessageDigest digest;
        long position;
        String validator;
        boolean rangesAllowed = true;

        Progress(String algorithm) {
            this.algorithm = algorithm;
            this.digest = algorithm == null ? null : Checksum.newDigest(algorithm);
        }

        void restart(FileChannel out) throws IOException {
            out.truncate(0);
            position = 0;
            validator = null;
            if (algorithm != null) {
                digest = Checksum.newDigest(algorithm);
            }
        }
    }

    /** The result of one attempt. */
    private sealed interface Attempt {
        record Complete() implements Attempt {
        }

        record Transient(String message, Optional<Duration> retryAfter) implements Attempt {
        }

        record Final(Result result) implements Attempt {
        }
    }

    Result download(StagingItem item, Watch watch) {
        String fileId = item.archiveLocation();
        Optional<Checksum> expectedChecksum = item.expectedChecksum();
        Progress progress = new Progress(expectedChecksum.map(Checksum::algorithm).orElse(null));
        try (FileChannel out = FileChannel.open(item.temporaryFile(), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            String lastProblem = "no attempt made";
            Optional<Duration> nextWait = Optional.empty();
            for (int attempt = 1; attempt <= settings.maxDownloadAttempts(); attempt++) {
                if (attempt > 1) {
                    Duration wait = nextWait.orElse(backoff.after(attempt - 1));
                    if (!pause(wait, watch)) {
                        return watch.cancelled() ? done(StagingOutcome.cancelled()) : new Result.Interrupted();
                    }
                }
                if (watch.cancelled()) {
                    return done(StagingOutcome.cancelled());
                }
                if (Thread.currentThread().isInterrupted()) {
                    return new Result.Interrupted();
                }
                Attempt result = attempt(item, out, progress, watch);
                if (result instanceof Attempt.Final finalResult) {
                    return finalResult.result();
                }
                if (result instanceof Attempt.Complete) {
                    Optional<String> problem = verify(item, progress);
                    if (problem.isEmpty()) {
                        return done(progress.digest == null ? StagingOutcome.fetched()
                                : StagingOutcome.fetched(Checksum.of(progress.algorithm, progress.digest)));
                    }
                    lastProblem = problem.get();
                    nextWait = Optional.empty();
                    progress.restart(out);
                } else {
                    Attempt.Transient failure = (Attempt.Transient) result;
                    lastProblem = failure.message();
                    nextWait = failure.retryAfter();
                    if (nextWait.isPresent() && nextWait.get().compareTo(settings.maxRetryWait()) > 0) {
                        // Too long to hold a worker: let the service schedule the retry.
                        return done(StagingOutcome.retry(lastProblem, nextWait.get()));
                    }
                }
                LOG.warn("attempt {} of {} to download {} failed: {}", attempt, settings.maxDownloadAttempts(),
                        fileId, lastProblem);
            }
            return done(StagingOutcome.retry("gave up after " + settings.maxDownloadAttempts()
                    + " download attempts; last: " + lastProblem));
        } catch (IOException e) {
            return done(StagingOutcome.retry("cannot write the temporary file for " + item.stagingPath() + ": " + e));
        }
    }

    /** One request: writes what arrives from {@code progress.position} on. */
    private Attempt attempt(StagingItem item, FileChannel out, Progress progress, Watch watch) throws IOException {
        String fileId = item.archiveLocation();
        boolean ranged = progress.position > 0 && progress.rangesAllowed;
        DownloadResponse response;
        try {
            response = client.openDownload(fileId, ranged ? progress.position : 0, ranged ? progress.validator : null);
        } catch (UpstreamException e) {
            return classify(item, e); // no answer (transient), or a redirect refused (final)
        }
        watch.started(response);
        try (response) {
            long total;
            int status = response.status();
            if (status == 200) {
                if (progress.position > 0) {
                    LOG.info("{}: the server sent the whole file again; restarting from byte 0", fileId);
                    progress.restart(out);
                }
                progress.validator = validator(response);
                progress.rangesAllowed = !"none".equalsIgnoreCase(response.header("Accept-Ranges"));
                total = response.contentLength();
            } else if (status == 206) {
                Matcher range = CONTENT_RANGE.matcher(String.valueOf(response.header("Content-Range")));
                if (!range.matches() || Long.parseLong(range.group(1)) != progress.position) {
                    progress.rangesAllowed = false;
                    return new Attempt.Transient("asked for bytes " + progress.position + "- of " + fileId
                            + " but got Content-Range " + response.header("Content-Range")
                            + "; restarting without Range", Optional.empty());
                }
                total = range.group(3).equals("*") ? -1 : Long.parseLong(range.group(3));
                LOG.info("{}: resuming at byte {}", fileId, progress.position);
            } else if (status == 416) {
                progress.rangesAllowed = false;
                progress.restart(out);
                return new Attempt.Transient("server refused Range bytes=" + progress.position
                        + "- for " + fileId + " (HTTP 416); restarting from byte 0", Optional.empty());
            } else {
                return classify(item, response.failure());
            }

            long expected = item.expectedBytes().orElse(-1);
            if (expected >= 0 && total >= 0 && total != expected) {
                progress.restart(out);
                return new Attempt.Transient("upstream says " + fileId + " has " + total
                        + " bytes, the catalog says " + expected, Optional.empty());
            }
            long limit = expected >= 0 ? expected : total;
            return copy(fileId, response, out, progress, limit, watch);
        } finally {
            watch.finished();
        }
    }

    private Attempt copy(String fileId, DownloadResponse response, FileChannel out, Progress progress, long limit,
                         Watch watch) throws IOException {
        byte[] buffer = buffers.get();
        InputStream in = response.body();
        while (true) {
            int read;
            try {
                read = in.read(buffer);
            } catch (IOException e) {
                if (watch.cancelled()) {
                    return new Attempt.Final(done(StagingOutcome.cancelled()));
                }
                if (Thread.currentThread().isInterrupted()) {
                    return new Attempt.Final(new Result.Interrupted());
                }
                return new Attempt.Transient("connection lost after " + progress.position + " of "
                        + (limit >= 0 ? limit : "?") + " bytes of " + fileId + ": " + JdpClient.rootCause(e),
                        Optional.empty());
            }
            if (read < 0) {
                break;
            }
            if (watch.cancelled()) {
                return new Attempt.Final(done(StagingOutcome.cancelled()));
            }
            if (Thread.currentThread().isInterrupted()) {
                return new Attempt.Final(new Result.Interrupted());
            }
            if (limit >= 0 && progress.position + read > limit) {
                progress.restart(out);
                return new Attempt.Transient("upstream sent more than the " + limit + " bytes of " + fileId,
                        Optional.empty());
            }
            ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, read);
            long at = progress.position;
            while (chunk.hasRemaining()) {
                at += out.write(chunk, at);
            }
            if (progress.digest != null) {
                progress.digest.update(buffer, 0, read);
            }
            progress.position += read;
            downloadedBytes.mark(read);
        }
        response.finishedReading();
        if (limit >= 0 && progress.position < limit) {
            return new Attempt.Transient("connection closed after " + progress.position + " of " + limit
                    + " bytes of " + fileId, Optional.empty());
        }
        return new Attempt.Complete();
    }

    /** Checks a complete body against the catalog; returns the problem, if any. */
    private static Optional<String> verify(StagingItem item, Progress progress) {
        if (item.expectedBytes().isPresent() && item.expectedBytes().getAsLong() != progress.position) {
            return Optional.of(item.archiveLocation() + " has " + progress.position + " bytes, the catalog says "
                    + item.expectedBytes().getAsLong());
        }
        if (item.expectedChecksum().isPresent()) {
            Checksum expected = item.expectedChecksum().get();
            // digest() resets the digest: clone to keep it for fetched().
            Checksum observed;
            try {
                observed = Checksum.of(progress.algorithm, (MessageDigest) progress.digest.clone());
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("digest cannot be cloned", e);
            }
            if (!observed.equals(expected)) {
                return Optional.of("checksum mismatch for " + item.archiveLocation() + ": downloaded " + observed
                        + ", the catalog says " + expected);
            }
        }
        return Optional.empty();
    }

    private Attempt classify(StagingItem item, UpstreamException failure) {
        return switch (failure.kind()) {
            case NOT_FOUND -> new Attempt.Final(done(StagingOutcome.failed(
                    "the upstream has no file " + item.archiveLocation() + ": " + failure.getMessage())));
            case AUTH -> new Attempt.Final(done(StagingOutcome.retry(failure.getMessage()
                    + "; check the credential in environment variable " + settings.authTokenVariable())));
            case REFUSED -> new Attempt.Final(new Result.NeedsRestore(failure.getMessage()));
            case NOT_RESTORED -> new Attempt.Final(new Result.StillOnTape(failure.getMessage()));
            // Never retried: the next attempt would be redirected alike.
            case REDIRECT -> new Attempt.Final(done(StagingOutcome.failed(
                    "cannot download " + item.archiveLocation() + ": " + failure.getMessage())));
            case TOO_LARGE, TRANSIENT -> new Attempt.Transient(failure.getMessage(), failure.retryAfter());
        };
    }

    /** A strong ETag, else Last-Modified: what If-Range may carry. */
    private static String validator(DownloadResponse response) {
        String etag = response.header("ETag");
        if (etag != null && !etag.startsWith("W/")) {
            return etag;
        }
        return response.header("Last-Modified");
    }

    /** Sleeps, waking early on cancellation; false when cancelled or interrupted. */
    private static boolean pause(Duration wait, Watch watch) {
        try {
            return !watch.cancellations().awaitUntil(watch::cancelled, wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Result done(StagingOutcome outcome) {
        return new Result.Done(outcome);
    }
}
