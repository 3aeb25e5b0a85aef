package org.stagehand.work;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The volumes whose pass ended on this instance and that may still be in their drive: a tape
 * library leaves a tape mounted until its drive is wanted for another, so reading such a volume
 * again costs no mount. A guess, kept as the drives are handed out: a volume claimed while not in
 * the list takes the drive released longest ago, as libraries (and the hsi stand-in) do, so that
 * drive's volume leaves the list. A wrong guess costs one mount, as without the list.
 */
final class IdleDrives {

    /** Oldest release first. */
    private final LinkedHashSet<String> volumes = new LinkedHashSet<>();

    /** A pass of {@code volume} ended: its drive is free, with the volume still in it. */
    synchronized void released(String volume) {
        volumes.remove(volume);
        volumes.add(volume);
    }

    /**
     * A pass of {@code volume} starts: on its own drive if it is still in one, else on the drive
     * released longest ago.
     */
    synchronized void claimed(String volume) {
        if (!volumes.remove(volume) && !volumes.isEmpty()) {
            volumes.remove(volumes.iterator().next());
        }
    }

    /** The volumes that may still be in one of the {@code freeDrives} free drives (the latest released). */
    synchronized Set<String> inFreeDrives(int freeDrives) {
        List<String> all = new ArrayList<>(volumes);
        while (all.size() > Math.max(0, freeDrives)) {
            volumes.remove(all.remove(0));
        }
        return Set.copyOf(all);
    }
}
