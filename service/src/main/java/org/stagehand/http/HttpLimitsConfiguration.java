package org.stagehand.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotNull;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;

/**
 * The {@code http:} section: how long a client may take. A client that trickles its body holds a
 * Jetty thread while the application reads it; these limits end that. The idle timeout applies to
 * every connector of both ports (over the connectors' own {@code idleTimeout}); the data rate to the
 * bodies the API reads ({@link RequestBodyLimit}), and Jetty's own rate check is turned off (see there).
 */
public class HttpLimitsConfiguration {

    @NotNull
    private DataSize minRequestDataRate = DataSize.kibibytes(1);

    @NotNull
    private Duration idleTimeout = Duration.seconds(30);

    /**
     * The least a request body must average, per second, once the service has read it for a second;
     * a slower one is cut off (408, connection closed). {@code 0} turns the check off. The default
     * (1 KiB/s) is far below what any real DTS sends.
     */
    @JsonProperty
    public DataSize getMinRequestDataRate() {
        return minRequestDataRate;
    }

    @JsonProperty
    public void setMinRequestDataRate(DataSize minRequestDataRate) {
        this.minRequestDataRate = minRequestDataRate;
    }

    /** How long a connection may go without a byte either way before it is closed. */
    @JsonProperty
    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    @JsonProperty
    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    /** Sets the idle timeout on every HTTP connector of the server, and turns Jetty's data-rate check off; call before it starts. */
    public void applyTo(Server server) {
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof AbstractConnector abstractConnector) {
                abstractConnector.setIdleTimeout(idleTimeout.toMilliseconds());
                // Dropwizard wraps each factory for its metrics; the HTTP one is a bean inside the wrapper.
                // Its rate check counts from the first byte on the wire: a small body read late would trip it.
                for (HttpConnectionFactory http : abstractConnector.getContainedBeans(HttpConnectionFactory.class)) {
                    http.getHttpConfiguration().setMinRequestDataRate(0);
                }
            }
        }
    }
}
