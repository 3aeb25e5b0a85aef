package org.stagehand.work;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The epochs of runs ({@code instance_epoch}). An epoch is {@code t}, its run's start in seconds
 * since 1970 as 7 base-36 digits, and 4 random base-36 digits: the name tells when the run began,
 * so that a row pruned {@code work.epochRetention} after its run ended still counts as ended for
 * the sweep (a run is recorded before it makes any temporary file, so a timed epoch that is no
 * longer recorded and began before the retention bound was pruned). Epochs of versions before
 * these (12 hex digits) tell nothing and are never pruned.
 */
final class Epochs {

    /** Characters of an epoch, the first of every lease token (and temporary file name) its run makes. */
    static final int LENGTH = 12;

    private static final Pattern TIMED = Pattern.compile("t([0-9a-z]{7})[0-9a-z]{4}");
    private static final int START_DIGITS = 7;
    private static final int RANDOM_DIGITS = 4;

    private Epochs() {
    }

    /** A fresh epoch for a run that starts at {@code start}. */
    static String of(Instant start, Random random) {
        String seconds = Long.toString(start.getEpochSecond(), Character.MAX_RADIX);
        StringBuilder epoch = new StringBuilder(LENGTH).append('t');
        epoch.append("0".repeat(Math.max(0, START_DIGITS - seconds.length()))).append(seconds);
        for (int i = 0; i < RANDOM_DIGITS; i++) {
            epoch.append(Character.forDigit(random.nextInt(Character.MAX_RADIX), Character.MAX_RADIX));
        }
        return epoch.toString();
    }

    /** When the run of a timed epoch began; empty for an epoch of the older form, or any other text. */
    static Optional<Instant> startOf(String epoch) {
        Matcher matcher = TIMED.matcher(epoch);
        return matcher.matches()
                ? Optional.of(Instant.ofEpochSecond(Long.parseLong(matcher.group(1), Character.MAX_RADIX)))
                : Optional.empty();
    }

    /**
     * Which epochs belong to runs known to be over: recorded and no longer kept alive, or timed,
     * no longer recorded and begun before {@code prunedBefore} (pruned).
     *
     * @param aliveUntil every recorded epoch, read in one snapshot, with the end of its run or of its last lease
     */
    static Predicate<String> over(Map<String, Instant> aliveUntil, Instant now, Instant prunedBefore) {
        return epoch -> {
            Instant until = aliveUntil.get(epoch);
            if (until != null) {
                return until.isBefore(now);
            }
            return startOf(epoch).map(start -> start.isBefore(prunedBefore)).orElse(false);
        };
    }
}
