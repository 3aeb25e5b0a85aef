package org.stagehand.bench;

import java.util.Map;

/**
 * What a drive's work costs in the tape benchmark, in simulated seconds: an LTO-9 library. Each
 * tape has its own mount and unmount time (60-90 s) and streaming rate (300-400 MB/s), drawn
 * once from the workload's seed; moving the head costs up to 90 s end to end, in proportion to
 * the distance. The DES strategies and the hsi stand-in (through the library file it is given)
 * use the same figures, and the stand-in's log is priced with this class.
 *
 * @param tapes each tape's figures, by volume label
 */
record DriveModel(Map<String, Tape> tapes) {

    /** An LTO-9 cartridge holds 18 TB; positions are byte offsets from its beginning. */
    static final double CAPACITY_BYTES = 18e12;
    static final double FULL_LOCATE_SECONDS = 90;

    /** One cartridge's own figures. */
    record Tape(double mountSeconds, double unmountSeconds, double bytesPerSecond) {
    }

    double mount(String volume) {
        return tapes.get(volume).mountSeconds();
    }

    double unmount(String volume) {
        return tapes.get(volume).unmountSeconds();
    }

    double read(String volume, long bytes) {
        return bytes / tapes.get(volume).bytesPerSecond();
    }

    static double locate(long fromByte, long toByte) {
        return FULL_LOCATE_SECONDS * Math.abs(toByte - fromByte) / CAPACITY_BYTES;
    }
}
