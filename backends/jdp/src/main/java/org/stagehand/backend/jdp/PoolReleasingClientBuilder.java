package org.stagehand.backend.jdp;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.client.ConfiguredCloseableHttpClient;
import io.dropwizard.client.DropwizardApacheConnector;
import io.dropwizard.client.JerseyClientBuilder;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

/** Dropwizard's Jersey client builder that keeps hold of the Apache client, so that close() can release its connection pool. */
final class PoolReleasingClientBuilder extends JerseyClientBuilder {

    private CloseableHttpClient apacheClient;

    PoolReleasingClientBuilder(MetricRegistry metrics) {
        super(metrics);
    }

    @Override
    protected DropwizardApacheConnector createDropwizardApacheConnector(ConfiguredCloseableHttpClient configured) {
        apacheClient = configured.getClient();
        return super.createDropwizardApacheConnector(configured);
    }

    /** The Apache client of the Jersey client built last. */
    CloseableHttpClient apacheClient() {
        return apacheClient;
    }
}
