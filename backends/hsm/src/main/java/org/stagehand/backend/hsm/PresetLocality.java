package org.stagehand.backend.hsm;

import java.util.Locale;
import java.util.Set;
import org.stagehand.backend.DescribesPaths.Locality;

/**
 * Where a file's data is, read from its state text the way each preset's tool prints it: whether a
 * disk file also has a tape copy is in the text (DMF {@code DUL}, Storage Protect {@code p}, Lustre
 * {@code archived}, SAM-QFS {@code archdone}), not in the online/offline classification. A text the
 * preset's tool does not print, or a state command spelled out in the configuration, falls back on
 * the classification, which tells tape from disk but not whether a disk file is on tape too: that
 * is {@link Locality#UNKNOWN}, never a guess.
 */
final class PresetLocality {

    private static final Set<String> LUSTRE_FLAGS_WITHOUT_MEANING = Set.of("exists", "noarchive", "norelease", "archive_id");

    private final HsmPreset preset;

    /** @param preset whose tool printed the texts; {@link HsmPreset#CUSTOM} when the state command was configured */
    PresetLocality(HsmPreset preset) {
        this.preset = preset;
    }

    Locality of(StateReading reading) {
        Locality fromText = switch (preset) {
            case DMF -> dmf(reading.text().strip());
            case SPECTRUM -> spectrum(reading.text().strip());
            case LUSTRE -> lustre(reading.text());
            case SAMQFS -> samQfs(reading.text());
            case CUSTOM -> null;
        };
        return fromText != null ? fromText : fromClassification(reading.state());
    }

    private static Locality fromClassification(HsmFileState state) {
        return switch (state) {
            case OFFLINE, RECALLING -> Locality.TAPE;
            case LOST -> Locality.LOST;
            case ONLINE, UNRECOGNIZED -> Locality.UNKNOWN;
        };
    }

    /** dmls: REG not migrated, NMG never migrated, MIG being migrated (the tape copy is not done), DUL on both, OFL/PAR/UNM needing a recall. */
    private static Locality dmf(String code) {
        return switch (code) {
            case "REG", "NMG", "MIG" -> Locality.DISK;
            case "DUL" -> Locality.DISK_AND_TAPE;
            case "OFL", "PAR", "UNM" -> Locality.TAPE;
            default -> null;
        };
    }

    /** dsmls: r resident (not migrated), p premigrated (on both), m migrated (a stub on disk). */
    private static Locality spectrum(String state) {
        if (state.isEmpty()) {
            return null;
        }
        return switch (state.charAt(0)) {
            case 'r' -> Locality.DISK;
            case 'p' -> Locality.DISK_AND_TAPE;
            case 'm' -> Locality.TAPE;
            default -> null;
        };
    }

    /** lfs hsm_state: released means the data is in the archive only; archived and not dirty, a current copy in it. */
    private static Locality lustre(String text) {
        int flagsStart = text.indexOf(')');
        if (!text.startsWith("(") || flagsStart < 0) {
            return null;
        }
        Set<String> flags = Set.of(text.substring(flagsStart + 1).replace(",", " ").toLowerCase(Locale.ROOT)
                .strip().split("\\s+"));
        if (flags.contains("lost")) {
            return Locality.LOST;
        }
        if (flags.contains("released")) {
            return Locality.TAPE;
        }
        if (flags.contains("archived") && !flags.contains("dirty")) {
            return Locality.DISK_AND_TAPE;
        }
        boolean onlyKnownFlags = flags.stream().allMatch(flag -> flag.isEmpty() || flag.equals("archived")
                || flag.equals("dirty") || LUSTRE_FLAGS_WITHOUT_MEANING.stream().anyMatch(flag::startsWith));
        return onlyKnownFlags ? Locality.DISK : null;
    }

    /** sls -D flags: damaged, offline, archdone (every archive copy made). */
    private static Locality samQfs(String flags) {
        String text = flags.toLowerCase(Locale.ROOT);
        if (text.contains("damaged")) {
            return Locality.LOST;
        }
        if (text.contains("offline")) {
            return Locality.TAPE;
        }
        return text.contains("archdone") ? Locality.DISK_AND_TAPE : Locality.DISK;
    }
}
