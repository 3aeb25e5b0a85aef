package org.stagehand.backend.hpss;

import java.util.Optional;
import org.stagehand.backend.TapeTimeline.DriveRates;

/**
 * How fast this site's HPSS recalls, measured from the backend's own sessions and updated as each
 * file is fetched; kept in memory and rebuilt after a start from the first sessions (until then
 * there is no estimate). Rates belong to the drives and the load of the moment, which change; a
 * few sessions measure them again, so they are not worth a table.
 *
 * <p>Within a session, the time from one file's end to the next one's is a locate over the
 * distance between their positions plus a read of the next file's size: the two rates come from an
 * exponentially weighted least-squares fit of {@code seconds = distance / locateRate + bytes /
 * readRate}. The first file of a session also costs the mount (and any wait for a drive): the
 * mount time is a weighted mean of what the first file took beyond its locate from the tape's
 * beginning and its read.
 */
final class RecallRates {

    /** Weight of the past against one new observation: about the last 50 files count. */
    private static final double KEEP = 0.98;
    /** Mounts are fewer: about the last 5 count. */
    private static final double KEEP_MOUNTS = 0.8;
    /** Observations after a session's first before the locate and read rates are trusted. */
    private static final int FEW = 2;

    // weighted sums of the normal equations for (distance, bytes) -> seconds
    private double dd;
    private double db;
    private double bb;
    private double dt;
    private double bt;
    private int observations;
    private double mountSeconds = Double.NaN;

    /** A session's first file took {@code seconds} from the session's start (mount, locate from the start, read). */
    synchronized void firstFile(double seconds, ArchiveFile file) {
        Optional<DriveRates> rates = ratesWithoutMount();
        // Until the rates are known, the whole time counts as mount: an over-estimate, soon corrected.
        double beyond = seconds - rates.map(r -> r.fileSeconds(0, file.position(), file.size())).orElse(0.0);
        double mount = Math.max(0, beyond);
        mountSeconds = Double.isNaN(mountSeconds) || rates.isEmpty() ? mount : KEEP_MOUNTS * mountSeconds + (1 - KEEP_MOUNTS) * mount;
    }

    /** A later file took {@code seconds} from the end of the file before it, at {@code fromPosition}. */
    synchronized void nextFile(double seconds, long fromPosition, ArchiveFile file) {
        double distance = Math.abs(file.position() - fromPosition);
        double bytes = file.size();
        dd = KEEP * dd + distance * distance;
        db = KEEP * db + distance * bytes;
        bb = KEEP * bb + bytes * bytes;
        dt = KEEP * dt + distance * seconds;
        bt = KEEP * bt + bytes * seconds;
        observations++;
    }

    /** The rates measured so far; empty when no mount or too few files were measured. */
    synchronized Optional<DriveRates> current() {
        if (Double.isNaN(mountSeconds)) {
            return Optional.empty();
        }
        return ratesWithoutMount().map(r -> new DriveRates(mountSeconds, r.secondsPerPosition(), r.secondsPerByte()));
    }

    private Optional<DriveRates> ratesWithoutMount() {
        if (observations < FEW || bb <= 0) {
            return Optional.empty();
        }
        double determinant = dd * bb - db * db;
        double perPosition;
        double perByte;
        if (dd > 0 && determinant > 1e-9 * dd * bb) {
            perPosition = (dt * bb - bt * db) / determinant;
            perByte = (bt * dd - dt * db) / determinant;
        } else {
            perPosition = 0; // all files adjacent (or one distance): reading explains the time
            perByte = bt / bb;
        }
        if (perPosition < 0 || perByte <= 0) {
            // the fit went outside what is physical (noise, few points): fall back to reading alone
            perPosition = 0;
            perByte = bt / bb;
        }
        return perByte > 0 ? Optional.of(new DriveRates(Double.NaN, perPosition, perByte)) : Optional.empty();
    }
}
