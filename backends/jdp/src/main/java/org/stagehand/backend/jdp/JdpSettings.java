package org.stagehand.backend.jdp;

import java.time.Duration;

/**
 * The backend's validated configuration, apart from HTTP and endpoints.
 *
 * @param pollInterval time between two status requests for one upstream restore request
 * @param maxIdsPerRestore most file IDs in one upstream restore request
 * @param concurrentDownloads downloads running at once, across all batches
 * @param maxRestoreWait how long a file may stay unrestored before it fails with the upstream's message
 * @param maxDownloadAttempts download attempts for one file within one call of stage()
 * @param retryBackoff the first wait after a transient download error; doubles each time
 * @param maxRetryWait the longest wait spent inside stage(); a longer Retry-After is handed back
 *     to the service as {@code retry(notBefore)}
 * @param bufferBytes read buffer per download
 * @param authTokenVariable name of the environment variable holding the secret, for messages
 * @param unknownStatusGrace how long a restore request may answer an unknown status word before its files fail
 */
record JdpSettings(
        Duration pollInterval,
        int maxIdsPerRestore,
        int concurrentDownloads,
        Duration maxRestoreWait,
        int maxDownloadAttempts,
        Duration retryBackoff,
        Duration maxRetryWait,
        int bufferBytes,
        String authTokenVariable,
        Duration unknownStatusGrace) {
}
