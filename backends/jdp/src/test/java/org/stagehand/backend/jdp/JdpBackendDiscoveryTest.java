package org.stagehand.backend.jdp;

import org.stagehand.backend.support.testing.BackendDiscoveryContract;

/** The {@code jdp} type is found through META-INF/services and binds from configuration. */
class JdpBackendDiscoveryTest extends BackendDiscoveryContract {

    JdpBackendDiscoveryTest() {
        super(JdpBackendFactory.class, "jdp", "{type: jdp, baseUrl: 'https://files.example.org/'}");
    }
}
