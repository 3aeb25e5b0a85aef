package org.stagehand.backend.hpss;

import org.stagehand.backend.support.testing.BackendDiscoveryContract;

/** The {@code hpss} type is found through META-INF/services and binds from configuration. */
class HpssBackendDiscoveryTest extends BackendDiscoveryContract {

    HpssBackendDiscoveryTest() {
        super(HpssBackendFactory.class, "hpss", "{type: hpss, archiveRoot: /home/p/project}");
    }
}
