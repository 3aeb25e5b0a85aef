package org.stagehand.backend.jdp;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.BackendHealth;
import org.stagehand.backend.OutcomeListener;
import org.stagehand.backend.StagingBatch;
import org.stagehand.backend.support.DaemonThreads;

/**
 * Stages files from a JDP-style archive: one upstream restore request per batch (split at
 * {@code maxIdsPerRestore}), status polls until the upstream has restored the files, then
 * downloads on a pool shared by all batches. See {@link BatchRun} for the flow.
 */
final class JdpBackend implements ArchiveBackend {

    private final JdpClient client;
    private final JdpSettings settings;
    private final ExecutorService downloads;
    private final FileDownloader downloader;
    private final Meter restoreRequests;

    JdpBackend(JdpClient client, JdpSettings settings, String serviceName, MetricRegistry metrics) {
        this.client = client;
        this.settings = settings;
        this.downloads = Executors.newFixedThreadPool(settings.concurrentDownloads(),
                new DaemonThreads(serviceName + "-jdp-download"));
        this.downloader = new FileDownloader(client, settings, metrics.meter("jdp.downloaded-bytes"));
        this.restoreRequests = metrics.meter("jdp.restore-requests");
    }

    @Override
    public void stage(StagingBatch batch, OutcomeListener listener) throws InterruptedException {
        new BatchRun(batch, listener, client, downloader, downloads, settings, restoreRequests).run();
    }

    @Override
    public BackendHealth checkHealth() {
        return client.probe();
    }

    @Override
    public void close() throws Exception {
        downloads.shutdownNow();
        try {
            downloads.awaitTermination(5, TimeUnit.SECONDS);
        } finally {
            client.close();
        }
    }
}
