package org.stagehand.api.dts;

import com.codahale.metrics.MetricRegistry;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/**
 * Counts refused staging requests by status, wherever they were refused: by the service (400, 404,
 * 413), or before it ran, by Jersey (a body that is not JSON, 415), the body limit (413) or
 * authentication (401). A filter on the answer rather than counting in the resource, which those
 * never reach.
 */
public final class StagingRefusalCounter implements ContainerResponseFilter {

    private static final String REFUSED = "stagehand.requests.rejected";

    private final MetricRegistry metrics;

    public StagingRefusalCounter(MetricRegistry metrics) {
        this.metrics = metrics;
        metrics.meter(REFUSED);
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if (status >= 400 && status < 500 && "POST".equals(request.getMethod()) && isStagingPath(request)) {
            metrics.meter(REFUSED).mark();
            metrics.meter(REFUSED + "." + status).mark();
        }
    }

    private static boolean isStagingPath(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        return "dts/staging".equals(path) || "/dts/staging".equals(path) || "dts/staging/".equals(path);
    }
}
