package org.stagehand.backend.jdp;

import com.codahale.metrics.Meter;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.StagingOutcome;

/**
 * Sends a batch's restore requests, {@code maxIdsPerRestore} IDs each. A 404 whose body names
 * unknown IDs fails those files and restores the rest in one more request; only an error that
 * names no file (a 404 without IDs, 413, other 4xx) is bisected to find the file at fault.
 */
final class RestoreSender {

    private static final Logger LOG = LoggerFactory.getLogger(RestoreSender.class);
    /** What separates IDs in an error body, JSON or text: "unknown ids: a, b", {"unknown": ["a","b"]}. */
    private static final Pattern SEPARATORS = Pattern.compile("[\\s,;\\[\\](){}\"'`]+");

    /** Where the outcome of each restore request goes. */
    interface Sink {
        /** The upstream accepted a request for {@code fileIds}; empty ID: nothing to wait for. */
        void accepted(Optional<String> requestId, List<String> fileIds);

        /** The upstream refused {@code fileId}, or could not be asked; report this outcome. */
        void refused(String fileId, StagingOutcome outcome);
    }

    private final JdpClient client;
    private final JdpSettings settings;
    private final Meter restoreRequests;
    private final String batchId;

    RestoreSender(JdpClient client, JdpSettings settings, Meter restoreRequests, String batchId) {
        this.client = client;
        this.settings = settings;
        this.restoreRequests = restoreRequests;
        this.batchId = batchId;
    }

    void send(List<String> fileIds, Sink sink) {
        for (int from = 0; from < fileIds.size(); from += settings.maxIdsPerRestore()) {
            sendOne(fileIds.subList(from, Math.min(fileIds.size(), from + settings.maxIdsPerRestore())), sink);
        }
    }

    private void sendOne(List<String> fileIds, Sink sink) {
        try {
            restoreRequests.mark();
            Optional<String> requestId = client.restore(fileIds);
            LOG.info("batch {}: upstream restore request {} for {} files", batchId,
                    requestId.orElse("(no ID: files already online)"), fileIds.size());
            sink.accepted(requestId, List.copyOf(fileIds));
            return;
        } catch (UpstreamException e) {
            if (e.kind() == UpstreamException.Kind.NOT_FOUND) {
                Set<String> unknown = namedIn(e.body(), fileIds);
                // A body naming every ID may just echo the request: that names no file at fault.
                if (!unknown.isEmpty() && (unknown.size() < fileIds.size() || fileIds.size() == 1)) {
                    List<String> rest = fileIds.stream().filter(id -> !unknown.contains(id)).toList();
                    LOG.warn("batch {}: the upstream does not know {} of {} files ({}); restoring the other {}",
                            batchId, unknown.size(), fileIds.size(), e.getMessage(), rest.size());
                    for (String fileId : unknown) {
                        sink.refused(fileId, StagingOutcome.failed("the upstream does not know file " + fileId + ": "
                                + e.getMessage()));
                    }
                    if (!rest.isEmpty()) {
                        sendOne(rest, sink);
                    }
                    return;
                }
            }
            boolean fileSpecific = e.kind() == UpstreamException.Kind.NOT_FOUND
                    || e.kind() == UpstreamException.Kind.TOO_LARGE
                    || e.kind() == UpstreamException.Kind.NOT_RESTORED
                    || (e.kind() == UpstreamException.Kind.REFUSED && e.httpStatus() != 403);
            if (fileSpecific && fileIds.size() > 1) {
                LOG.info("batch {}: {}; splitting the request to find the file at fault", batchId, e.getMessage());
                int half = fileIds.size() / 2;
                sendOne(fileIds.subList(0, half), sink);
                sendOne(fileIds.subList(half, fileIds.size()), sink);
                return;
            }
            StagingOutcome outcome = outcomeOf(e, fileIds.get(0));
            LOG.warn("batch {}: {}", batchId, e.getMessage());
            for (String fileId : fileIds) {
                sink.refused(fileId, outcome);
            }
        }
    }

    private StagingOutcome outcomeOf(UpstreamException e, String firstFileId) {
        String checkCredential = "; check the credential in environment variable " + settings.authTokenVariable();
        return switch (e.kind()) {
            case NOT_FOUND -> StagingOutcome.failed("the upstream does not know file " + firstFileId + ": "
                    + e.getMessage());
            case REFUSED, NOT_RESTORED -> e.httpStatus() == 403
                    ? StagingOutcome.retry(e.getMessage() + checkCredential)
                    : StagingOutcome.failed("the upstream refuses to restore " + firstFileId + ": " + e.getMessage());
            case TOO_LARGE -> StagingOutcome.failed("the upstream refuses to restore " + firstFileId + ": "
                    + e.getMessage());
            case REDIRECT -> StagingOutcome.failed(e.getMessage());
            case AUTH -> StagingOutcome.retry(e.getMessage() + checkCredential);
            case TRANSIENT -> e.retryAfter().map(wait -> StagingOutcome.retry(e.getMessage(), wait))
                    .orElseGet(() -> StagingOutcome.retry(e.getMessage()));
        };
    }

    /** The IDs of {@code sent} that {@code body} names as whole words. */
    static Set<String> namedIn(String body, Collection<String> sent) {
        if (body == null || body.isBlank()) {
            return Set.of();
        }
        Set<String> words = new HashSet<>();
        for (String token : SEPARATORS.split(body)) {
            words.add(token);
            words.add(token.replaceAll("[.:]+$", "")); // "file abc: not found", "... abc."
        }
        Set<String> named = new LinkedHashSet<>();
        for (String id : sent) {
            if (words.contains(id)) {
                named.add(id);
            }
        }
        return named;
    }
}
