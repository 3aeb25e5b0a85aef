package org.stagehand.backend.hsm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fake HSM for tests: an archive directory, an "offline" area holding the content of files whose
 * archive entry is only a stub, and the stand-in tool scripts from {@code src/test/resources/hsm}
 * installed under the real tools' names. Every tool call lands in a log.
 */
final class FakeHsm {

    /** The stand-in script and the program names it is installed under, per preset. */
    private static final Map<HsmPreset, Tools> TOOLS = Map.of(
            HsmPreset.DMF, new Tools("fake-dmf", List.of("dmls", "dmget"), "dmls -l", "dmget"),
            HsmPreset.SPECTRUM, new Tools("fake-spectrum", List.of("dsmls", "dsmrecall"), "dsmls", "dsmrecall"),
            HsmPreset.LUSTRE, new Tools("fake-lustre", List.of("lfs"), "lfs hsm_state", "lfs hsm_restore"),
            HsmPreset.SAMQFS, new Tools("fake-samqfs", List.of("sls", "stage"), "sls -D", "stage"));

    private record Tools(String script, List<String> programs, String stateCall, String recallCall) {
    }

    /** One logged tool call: the program with its leading arguments, and the files it was given. */
    record Call(String head, List<String> files) {
    }

    private final HsmPreset preset;
    private final Path root;
    private final Path offline;
    private final Path log;
    private final Path bin;
    private final Map<String, String> environment = new LinkedHashMap<>();

    FakeHsm(HsmPreset preset, Path base) throws IOException {
        this.preset = preset;
        this.root = Files.createDirectories(base.resolve("archive")).toRealPath();
        this.offline = Files.createDirectories(base.resolve("offline")).toRealPath();
        this.log = base.resolve("calls.log").toAbsolutePath();
        Files.createFile(log);
        Path scripts = Files.createDirectories(base.resolve("scripts"));
        this.bin = Files.createDirectories(base.resolve("bin"));
        installScripts(scripts, bin, TOOLS.get(preset));
        environment.put("HSM_FAKE_OFFLINE", offline.toString());
        environment.put("HSM_FAKE_LOG", log.toString());
        environment.put("HSM_FAKE_RECALL_DELAY", "0.2");
    }

    /** Copies the scripts out of the test classpath (which loses their mode) and links the tool names. */
    static void installScripts(Path scripts, Path bin, Tools tools) throws IOException {
        for (String name : List.of("fake-hsm-lib.sh", tools.script())) {
            try (InputStream in = FakeHsm.class.getResourceAsStream("/hsm/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("test resource hsm/" + name + " is missing");
                }
                Files.copy(in, scripts.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setPosixFilePermissions(scripts.resolve(name), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        for (String program : tools.programs()) {
            Files.createSymbolicLink(bin.resolve(program), scripts.resolve(tools.script()));
        }
    }

    Path root() {
        return root;
    }

    /** A factory for this HSM's preset, wired to the stand-ins, with quick polls. */
    HsmBackendFactory factory() {
        HsmBackendFactory factory = new HsmBackendFactory();
        factory.setPreset(preset);
        factory.setRoot(root.toString());
        Map<String, String> commands = new LinkedHashMap<>();
        TOOLS.get(preset).programs().forEach(program -> commands.put(program, bin.resolve(program).toString()));
        factory.setCommands(commands);
        factory.setEnvironment(environment);
        factory.setPollInterval(io.dropwizard.util.Duration.milliseconds(50));
        factory.setRecallTimeout(io.dropwizard.util.Duration.seconds(15));
        return factory;
    }

    /** The stand-in installed as {@code program}, for commands spelled out by hand. */
    Path tool(String program) {
        return bin.resolve(program);
    }

    /** Sets a variable of the stand-ins' environment for factories made after this call. */
    FakeHsm environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    FakeHsm recallDelaySeconds(double seconds) {
        return environment("HSM_FAKE_RECALL_DELAY", Double.toString(seconds));
    }

    /** Recall calls for files under {@code prefix} fail as a whole with {@code exitCode}. */
    FakeHsm failRecallsUnder(Path prefix, int exitCode) {
        environment("HSM_FAKE_FAILING_PREFIX", prefix.toString() + "/");
        return environment("HSM_FAKE_FAILING_EXIT", Integer.toString(exitCode));
    }

    /** A file whose data is on disk. */
    Path onlineFile(String relative, byte[] content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.write(file, content);
    }

    /** A file whose data is on "tape": a stub in the archive, the content in the offline area. */
    Path offlineFile(String relative, byte[] content) throws IOException {
        Path file = onlineFile(relative, "offline stub\n".getBytes());
        Path copy = offlineCopy(file);
        Files.createDirectories(copy.getParent());
        Files.write(copy, content);
        return file;
    }

    /** A file recalled earlier: its data on disk, its tape copy still in the archive (tools that tell show both). */
    Path recalledFile(String relative, byte[] content) throws IOException {
        Path file = onlineFile(relative, content);
        Path marker = Path.of(offlineCopy(file) + ".recalled");
        Files.createDirectories(marker.getParent());
        Files.createFile(marker);
        return file;
    }

    /** An offline file whose tape copy cannot be read: its recall fails. */
    Path unreadableFile(String relative) throws IOException {
        Path file = onlineFile(relative, "offline stub\n".getBytes());
        Path marker = Path.of(offlineCopy(file) + ".unreadable");
        Files.createDirectories(marker.getParent());
        Files.createFile(marker);
        return file;
    }

    /** An offline file the HSM itself reports as lost (for tools that can say so). */
    Path lostFile(String relative) throws IOException {
        Path file = unreadableFile(relative);
        Files.createFile(Path.of(offlineCopy(file) + ".lost"));
        return file;
    }

    /**
     * Sets the archive copies a SAM-QFS stand-in lists for a file, each {@code "<flags>
     * <position>.<offset> <media> <VSN>"} as {@code sls -D} prints them (hexadecimal), in copy order.
     */
    void archiveCopies(Path file, String... copies) throws IOException {
        Path marker = Path.of(offlineCopy(file) + ".tape");
        Files.createDirectories(marker.getParent());
        Files.write(marker, List.of(copies));
    }

    /** One archive copy, on tape {@code vsn} at {@code position} (offset 0). */
    void onVolume(Path file, String vsn, long position) throws IOException {
        archiveCopies(file, "---- " + Long.toHexString(position) + ".0 li " + vsn);
    }

    /** Marks a file as being recalled by someone else. */
    void markRecalling(Path file) throws IOException {
        Files.createFile(Path.of(offlineCopy(file) + ".recalling"));
    }

    /** Finishes a recall the way the HSM would, without any tool call. */
    void completeRecallOutOfBand(Path file) throws IOException {
        Path copy = offlineCopy(file);
        Files.copy(copy, file, StandardCopyOption.REPLACE_EXISTING);
        Files.delete(copy);
        Files.deleteIfExists(Path.of(copy + ".recalling"));
    }

    boolean isOffline(Path file) {
        return Files.exists(offlineCopy(file));
    }

    private Path offlineCopy(Path file) {
        return Path.of(offline.toString() + file.toAbsolutePath());
    }

    /** Every tool call so far, in order. */
    List<Call> calls() {
        try {
            return Files.readAllLines(log).stream().map(line -> {
                int bar = line.indexOf(" | ");
                String files = line.substring(bar + 3).strip();
                return new Call(line.substring(0, bar), files.isEmpty() ? List.of() : Arrays.asList(files.split(" ")));
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Calls of the preset's recall command (for file-system tools, with the file system in the head). */
    List<Call> recallCalls() {
        String recall = TOOLS.get(preset).recallCall();
        return calls().stream().filter(call -> call.head().equals(recall) || call.head().startsWith(recall + " ")).toList();
    }

    List<Call> stateCalls() {
        String state = TOOLS.get(preset).stateCall();
        return calls().stream().filter(call -> call.head().equals(state)).toList();
    }

    /** Whether every recall a tool only queued has run to its end (so nothing writes into the archive any more). */
    boolean backgroundRecallsFinished() {
        List<Call> calls = calls();
        long queued = recallCalls().size() - calls.stream().filter(call -> call.head().equals("refused")).count();
        return calls.stream().filter(call -> call.head().startsWith("done ")).count() >= queued;
    }

    /** Whether this preset's recall command returns before the recall is done. */
    boolean recallsInBackground() {
        return preset == HsmPreset.LUSTRE || preset == HsmPreset.SAMQFS;
    }
}
