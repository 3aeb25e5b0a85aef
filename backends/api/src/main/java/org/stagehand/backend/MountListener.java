package org.stagehand.backend;

/**
 * Told by a backend that reads tapes each time it mounts a volume, so that the service can show
 * operators how often each volume is mounted. Implemented by the service; optional for a backend
 * (one without tapes never calls it).
 */
@FunctionalInterface
public interface MountListener {

    /** A listener that records nothing: for backends built outside the service, as in their tests. */
    MountListener NONE = volume -> { };

    /**
     * Records that a recall session began on {@code volume} just now (the service stamps the time).
     * Call it once per mount, as the session starts; it returns quickly and never throws, so a
     * session need not guard it.
     *
     * @param volume the tape volume's label, as the archive names it
     */
    void mounted(String volume);
}
