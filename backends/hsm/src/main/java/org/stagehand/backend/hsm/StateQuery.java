package org.stagehand.backend.hsm;

import com.codahale.metrics.Counter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.LocatesOnTape.TapePlace;

/** Asks the HSM where files are, many files per call. Thread-safe. */
final class StateQuery {

    private static final Logger LOG = LoggerFactory.getLogger(StateQuery.class);

    /**
     * The states read, and what went wrong with calls whose files may lack a state.
     *
     * @param readings the state of each file the tool reported on
     * @param places where on tape each file lies, for a tool that prints it (else empty)
     * @param problems failures of the calls, for the message of a file without a reading
     */
    record Report(Map<Path, StateReading> readings, Map<Path, TapePlace> places, List<String> problems) {

        /** Why a file has no reading, for its message. */
        String whyNoReading(String program) {
            return problems.isEmpty() ? program + " did not report it" : String.join("; ", problems);
        }
    }

    private final CommandRunner runner;
    private final CommandTemplate command;
    private final StateOutputParser parser;
    private final Optional<TapePlaceParser> placeParser;
    private final StateRules rules;
    private final int maxFilesPerCall;
    private final Duration timeout;
    private final Counter calls;

    /** @param placeParser reads where files lie from the same output, when the preset's tool prints it */
    StateQuery(CommandRunner runner, CommandTemplate command, StateOutputParser parser,
               Optional<TapePlaceParser> placeParser, StateRules rules, int maxFilesPerCall, Duration timeout,
               Counter calls) {
        this.runner = runner;
        this.command = command;
        this.parser = parser;
        this.placeParser = placeParser;
        this.rules = rules;
        this.maxFilesPerCall = maxFilesPerCall;
        this.timeout = timeout;
        this.calls = calls;
    }

    CommandTemplate command() {
        return command;
    }

    /** Whether the reports say where on tape files lie. */
    boolean places() {
        return placeParser.isPresent();
    }

    /** Queries the state of the files, {@code maxFilesPerCall} at a time. */
    Report query(List<Path> files) throws InterruptedException {
        Map<Path, StateReading> readings = new HashMap<>();
        Map<Path, TapePlace> places = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (int from = 0; from < files.size(); from += maxFilesPerCall) {
            List<Path> chunk = files.subList(from, Math.min(files.size(), from + maxFilesPerCall));
            CommandResult result;
            try {
                calls.inc();
                result = runner.run(command, chunk, timeout);
            } catch (IOException e) {
                problems.add("cannot run " + command.program() + ": " + e.getMessage());
                continue;
            }
            if (!result.succeeded()) {
                // dmls and its kind exit non-zero when one of many files is missing: keep the others' states
                problems.add(result.describeFailure(command.programName()));
            }
            Map<String, Path> requested = new HashMap<>();
            chunk.forEach(file -> requested.put(file.toString(), file));
            parser.parse(result.stdout()).forEach((printed, text) -> {
                Path file = matchPrinted(printed, requested, chunk);
                if (file == null) {
                    LOG.debug("{} printed a state for {}, which was not asked about", command.programName(), printed);
                } else {
                    readings.put(file, new StateReading(rules.classify(text), text));
                }
            });
            String stdout = result.stdout();
            placeParser.ifPresent(placing -> placing.places(stdout).forEach((printed, place) -> {
                Path file = matchPrinted(printed, requested, chunk);
                if (file != null) {
                    places.put(file, place);
                }
            }));
        }
        return new Report(readings, places, problems);
    }

    /** The requested file a printed name stands for: the same path, or the only one ending in a relative name. */
    private static Path matchPrinted(String printed, Map<String, Path> requested, List<Path> chunk) {
        Path exact = requested.get(printed);
        if (exact != null || printed.startsWith("/")) {
            return exact;
        }
        String suffix = "/" + printed;
        List<Path> candidates = chunk.stream().filter(file -> file.toString().endsWith(suffix)).toList();
        return candidates.size() == 1 ? candidates.get(0) : null;
    }
}
