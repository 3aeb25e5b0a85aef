package org.stagehand.work;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.StagingBatch;

/**
 * The claims this instance is working on, by lease token: their tokens (renewed, never taken
 * back), the batches the backend runs (so their items can be cancelled) and the recorders that
 * settle their files. What the lease thread finds about them it does here.
 */
final class ClaimsUnderWay implements LeaseKeeper.Claims {

    private static final Logger LOG = LoggerFactory.getLogger(ClaimsUnderWay.class);

    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final Map<String, StagingBatch> batches = new ConcurrentHashMap<>();
    private final Map<String, OutcomeRecorder> recorders = new ConcurrentHashMap<>();

    /** A claim is being made under {@code token}: from now on it is live. */
    void open(String token) {
        tokens.add(token);
    }

    /** The claim's files are all settled (or left for the next start): it is no longer live. */
    void close(String token) {
        recorders.remove(token);
        tokens.remove(token);
    }

    boolean isLive(String token) {
        return tokens.contains(token);
    }

    void recordedBy(String token, OutcomeRecorder recorder) {
        recorders.put(token, recorder);
    }

    /** The recorder of the claim under {@code token}, or null once it is closed. */
    OutcomeRecorder recorder(String token) {
        return recorders.get(token);
    }

    /** The backend runs {@code batch} (whose ID is its claim's token) until {@link #stagedOut}. */
    void staging(StagingBatch batch) {
        batches.put(batch.id(), batch);
    }

    void stagedOut(StagingBatch batch) {
        batches.remove(batch.id());
    }

    /** The batches the backend runs now. */
    Collection<StagingBatch> batches() {
        return batches.values();
    }

    @Override
    public Set<String> tokens() {
        return tokens;
    }

    @Override
    public Set<String> unsettled(String token) {
        OutcomeRecorder recorder = recorders.get(token);
        return recorder == null ? Set.of() : recorder.unsettled();
    }

    /** Stops the lost files at once, in the backend too, through the cancellation path. */
    @Override
    public void lost(String token, Set<String> fileIds) {
        OutcomeRecorder recorder = recorders.get(token);
        if (recorder != null) {
            recorder.lost(fileIds);
        }
        StagingBatch batch = batches.get(token);
        if (batch != null) {
            batch.cancel(batch.items().stream().filter(item -> fileIds.contains(item.fileId())).toList());
        }
    }

    /**
     * Cancels the batches under way when their leases may run out before the next renewal:
     * another instance may then take their files over, and a file must never be staged twice at
     * once. The files go to whichever instance claims them next.
     */
    @Override
    public void lapsing(Instant leasedUntil) {
        if (batches.isEmpty()) {
            return;
        }
        LOG.error("leases could not be renewed and run out at {}: cancelling the {} batches under way",
                leasedUntil, batches.size());
        batches.values().forEach(batch -> batch.cancel(batch.items()));
    }
}
