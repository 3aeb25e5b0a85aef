package org.stagehand.backend.hsm;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The HSMs the backend knows how to drive, with their state and recall commands. {@code custom}
 * knows none: the configuration spells everything out.
 */
public enum HsmPreset {

    /** HPE (SGI) Data Migration Facility: {@code dmls -l} shows the state in parentheses, {@code dmget} recalls. */
    DMF(List.of("dmls", "-l", CommandTemplate.FILES),
            // -rw-r--r-- 1 kfr sys 16373855 Jul 22 15:01 (OFL) /dmf/archive/file
            "^[-a-zA-Z]\\S{9,10}\\s.*?\\s\\((?<state>[A-Z]{3})\\)\\s(?<path>.+)$",
            "^(REG|DUL|NMG)$", "^(OFL|MIG|PAR)$", "^UNM$", null,
            List.of("dmget", CommandTemplate.FILES)),

    /**
     * IBM Storage Protect for Space Management (Spectrum Protect HSM): {@code dsmls} shows r
     * (resident), p (premigrated) or m (migrated); {@code dsmrecall -filelist} recalls in tape order.
     */
    SPECTRUM(List.of("dsmls", CommandTemplate.FILES),
            //     1048576          0       0   m      /gpfs/archive/file
            "^\\s*\\d[\\d,]*\\s+\\d[\\d,]*\\s+\\d[\\d,]*\\s+(?<state>[-rpm](?:\\s*\\([ps]\\))?)\\s+"
                    // newer clients print the coupled server's name before an absolute file name
                    + "(?:[^/\\s]\\S*\\s+(?=/))?(?<path>\\S.*)$",
            "^[rp]", "^m", null, null,
            List.of("dsmrecall", "-filelist=" + CommandTemplate.FILE_LIST, CommandTemplate.FILE_SYSTEM)),

    /** Lustre HSM: {@code lfs hsm_state} flags {@code released} when the data is in the archive only. */
    LUSTRE(List.of("lfs", "hsm_state", CommandTemplate.FILES),
            // /lustre/archive/file: (0x0000000d) released exists archived, archive_id:1
            "^(?<path>.+): (?<state>\\(0x[0-9a-fA-F]+\\).*)$",
            ".*", "\\breleased\\b", null, "\\blost\\b",
            List.of("lfs", "hsm_restore", "--filelist", CommandTemplate.FILE_LIST)),

    /**
     * SAM-QFS / Oracle HSM: {@code sls -D} prints an {@code offline;} flag; {@code stage} starts the
     * stage and returns, so the backend waits by polling.
     */
    SAMQFS(List.of("sls", "-D", CommandTemplate.FILES),
            null, // blocks, read by SamQfsStateParser
            ".*", "\\boffline\\b", null, "\\bdamaged\\b",
            List.of("stage", CommandTemplate.FILES)),

    /** Everything spelled out in the configuration. */
    CUSTOM(null, null, null, null, null, null, null);

    private final List<String> stateCommand;
    private final String statePattern;
    private final String onlinePattern;
    private final String offlinePattern;
    private final String recallingPattern;
    private final String lostPattern;
    private final List<String> recallCommand;

    HsmPreset(List<String> stateCommand, String statePattern, String onlinePattern, String offlinePattern,
              String recallingPattern, String lostPattern, List<String> recallCommand) {
        this.stateCommand = stateCommand;
        this.statePattern = statePattern;
        this.onlinePattern = onlinePattern;
        this.offlinePattern = offlinePattern;
        this.recallingPattern = recallingPattern;
        this.lostPattern = lostPattern;
        this.recallCommand = recallCommand;
    }

    /** Reads {@code dmf}, {@code DMF}, ... from the configuration. */
    @JsonCreator
    public static HsmPreset fromConfig(String text) {
        for (HsmPreset preset : values()) {
            if (preset.configName().equalsIgnoreCase(text.strip())) {
                return preset;
            }
        }
        throw new IllegalArgumentException("unknown HSM preset '" + text + "'; known: " + Arrays.stream(values())
                .map(HsmPreset::configName).collect(Collectors.joining(", ")));
    }

    /** The name used in the configuration. */
    @JsonValue
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    List<String> stateCommand() {
        return stateCommand;
    }

    /** Null for SAM-QFS, whose state output is read in blocks. */
    String statePattern() {
        return statePattern;
    }

    String onlinePattern() {
        return onlinePattern;
    }

    String offlinePattern() {
        return offlinePattern;
    }

    String recallingPattern() {
        return recallingPattern;
    }

    String lostPattern() {
        return lostPattern;
    }

    List<String> recallCommand() {
        return recallCommand;
    }

    /** The program names this preset runs, the keys {@code commands:} may override. */
    List<String> programs() {
        if (this == CUSTOM) {
            return List.of();
        }
        return List.of(stateCommand.get(0), recallCommand.get(0)).stream().distinct().toList();
    }
}
