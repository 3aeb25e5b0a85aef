package org.stagehand.http;

import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.eclipse.jetty.util.component.LifeCycle;

/** Changes the HTTP configuration of every connector of the server as it starts, each configuration once. */
final class EveryConnector {

    private EveryConnector() {
    }

    static LifeCycle.Listener configure(Consumer<HttpConfiguration> change) {
        return new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                // Dropwizard attaches these listeners to the application's handler, not the server.
                Server server = event instanceof Server s ? s : event instanceof Handler h ? h.getServer() : null;
                if (server == null) {
                    return;
                }
                Set<HttpConfiguration> done = Collections.newSetFromMap(new IdentityHashMap<>());
                for (Connector connector : server.getConnectors()) {
                    // Dropwizard wraps each HTTP connection factory in one that times connections.
                    Collection<HttpConfiguration.ConnectionFactory> factories = connector instanceof ContainerLifeCycle container
                            ? container.getContainedBeans(HttpConfiguration.ConnectionFactory.class) : List.of();
                    factories.stream()
                            .map(HttpConfiguration.ConnectionFactory::getHttpConfiguration)
                            .filter(done::add)
                            .forEach(change);
                }
            }
        };
    }
}
