package org.stagehand.backend.hsm;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import org.stagehand.backend.LocatesOnTape;

/**
 * The HSM backend of a preset whose state tool says on which volume each file's copy lies
 * (SAM-QFS's {@code sls -D}): it also {@link LocatesOnTape locates} files, so that the service
 * hands it the due files of one volume together and one recall call reads them in one mount.
 */
final class VolumeLocatingHsmBackend extends HsmBackend implements LocatesOnTape {

    private final HsmVolumeLocator locator;
    private final int maxSessions;

    /** @param maxSessions how many volume batches the service may hand over at once ({@code backend.maxSessions}) */
    VolumeLocatingHsmBackend(HsmTools tools, PresetLocality localities, int maxSessions) {
        super(tools, localities);
        this.locator = new HsmVolumeLocator(tools.copier(), tools.states());
        this.maxSessions = maxSessions;
    }

    @Override
    public Map<String, TapePlace> locate(Collection<String> archiveLocations) throws IOException, InterruptedException {
        return locator.locate(archiveLocations);
    }

    @Override
    public int maxSessions() {
        return maxSessions;
    }
}
