package org.stagehand.backend.hsm;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A preset's commands and patterns with the configured overrides applied, checked at start-up:
 * each error names the configuration key at fault.
 *
 * @param places reads where files lie on tape from the state command's output: the configured
 *     {@code locatePattern}, else a preset's whose own state tool prints it (SAM-QFS's {@code sls
 *     -D}) when neither the state command nor its pattern is configured (a configured command
 *     prints what it likes); empty for every other preset
 */
record PresetCommands(CommandTemplate stateCommand, CommandTemplate recallCommand, StateRules rules,
        StateOutputParser parser, Optional<TapePlaceParser> places) {

    /**
     * Applies the overrides to the preset's commands and patterns: {@code commands} are the paths
     * of the preset's programs by name ({@code backend.commands}); the other parameters are the keys
     * of the same names, null where the preset's own apply.
     */
    static PresetCommands resolve(HsmPreset preset, Map<String, String> commands, List<String> stateCommand,
            String statePattern, String onlinePattern, String offlinePattern, String recallingPattern,
            String lostPattern, String locatePattern, List<String> recallCommand) {
        checkCommandOverrides(preset, commands);
        CommandTemplate state = template("backend.stateCommand", stateCommand, preset.stateCommand(), commands);
        if (state.usesFileSystem()) {
            throw new IllegalArgumentException("backend.stateCommand: " + CommandTemplate.FILE_SYSTEM
                    + " is for the recall command only");
        }
        CommandTemplate recall = template("backend.recallCommand", recallCommand, preset.recallCommand(), commands);
        StateRules rules = new StateRules(
                pattern("backend.onlinePattern", onlinePattern, preset.onlinePattern()),
                pattern("backend.offlinePattern", offlinePattern, preset.offlinePattern()),
                optionalPattern("backend.recallingPattern", recallingPattern, preset.recallingPattern()),
                optionalPattern("backend.lostPattern", lostPattern, preset.lostPattern()));
        return new PresetCommands(state, recall, rules, parser(preset, statePattern),
                places(preset, stateCommand == null && statePattern == null, locatePattern));
    }

    private static Optional<TapePlaceParser> places(HsmPreset preset, boolean presetOutput, String locatePattern) {
        if (locatePattern != null) {
            Pattern line = pattern("backend.locatePattern", locatePattern, null);
            for (String group : List.of("path", "volume")) {
                if (!line.pattern().contains("(?<" + group + ">")) {
                    throw new IllegalArgumentException("backend.locatePattern: needs a named group (?<" + group + ">...)");
                }
            }
            return Optional.of(new LinePatternPlaceParser(line));
        }
        return preset == HsmPreset.SAMQFS && presetOutput ? Optional.of(new SamQfsCopyParser()) : Optional.empty();
    }

    private static StateOutputParser parser(HsmPreset preset, String statePattern) {
        if (preset == HsmPreset.SAMQFS && statePattern == null) {
            return new SamQfsStateParser();
        }
        Pattern line = pattern("backend.statePattern", statePattern, preset.statePattern());
        for (String group : List.of("path", "state")) {
            if (!line.pattern().contains("(?<" + group + ">")) {
                throw new IllegalArgumentException("backend.statePattern: needs a named group (?<" + group + ">...)");
            }
        }
        return new LinePatternStateParser(line);
    }

    private static void checkCommandOverrides(HsmPreset preset, Map<String, String> commands) {
        List<String> known = preset.programs();
        for (String program : commands.keySet()) {
            if (!known.contains(program)) {
                throw new IllegalArgumentException("backend.commands." + program + ": preset " + preset.configName()
                        + (known.isEmpty() ? " runs no named programs; spell the commands out in stateCommand and recallCommand"
                        : " runs only " + String.join(", ", known)));
            }
        }
    }

    private static CommandTemplate template(String key, List<String> configured, List<String> preset,
            Map<String, String> commands) {
        List<String> argv = configured != null ? configured : preset;
        if (argv == null) {
            throw new IllegalArgumentException(key + ": required with preset: custom");
        }
        try {
            // Overrides of program paths apply to the preset's commands, not to ones spelled out.
            CommandTemplate template = new CommandTemplate(argv);
            return configured != null ? template : template.withProgramsFrom(commands);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private static Pattern pattern(String key, String configured, String preset) {
        String regex = configured != null ? configured : preset;
        if (regex == null) {
            throw new IllegalArgumentException(key + ": required with preset: custom");
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(key + ": not a regular expression: " + e.getMessage(), e);
        }
    }

    private static Optional<Pattern> optionalPattern(String key, String configured, String preset) {
        String regex = configured != null ? configured : preset;
        return regex == null || regex.isEmpty() ? Optional.empty() : Optional.of(pattern(key, regex, null));
    }
}
