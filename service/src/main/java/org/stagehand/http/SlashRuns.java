package org.stagehand.http;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Collapses runs of slashes in a request's path as it enters Jetty, on every connector. gfal2
 * (Davix) sends a file URL's path as written, and WLCG URLs often hold {@code //}
 * ({@code http://host//archive/d/a.dat}): Jetty refuses such a path as ambiguous (400), so the
 * empty segment is let through the parser and removed before any handler, filter or servlet sees
 * the request. Everything after then sees one path only, so no path matching can be fooled by it.
 */
public final class SlashRuns implements HttpConfiguration.Customizer {

    /** Installs the collapse on every connector of the server before it starts. */
    public static LifeCycle.Listener onEveryConnector() {
        SlashRuns collapse = new SlashRuns();
        return EveryConnector.configure(configuration -> {
            configuration.setUriCompliance(configuration.getUriCompliance()
                    .with("STAGEHAND", UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT));
            configuration.addCustomizer(collapse);
        });
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        String path = request.getHttpURI().getPath();
        if (path == null || !path.contains("//")) {
            return request;
        }
        HttpURI uri = HttpURI.build(request.getHttpURI()).path(path.replaceAll("/{2,}", "/")).asImmutable();
        return new Request.Wrapper(request) {
            @Override
            public HttpURI getHttpURI() {
                return uri;
            }
        };
    }
}
