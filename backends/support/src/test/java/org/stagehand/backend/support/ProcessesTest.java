package org.stagehand.backend.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes (sh scripts) that behave like unkind tools: reading stdin, ignoring TERM, leaving children. */
class ProcessesTest {

    @TempDir
    Path temp;

    private Path script(String name, String body) throws Exception {
        Path script = temp.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    void toolReadingStandardInputSeesItsEndAtOnce() throws Exception {
        Path reader = script("reader", "read line || echo no-input\n");

        Processes.Output output = Processes.run(Processes.builder(List.of(reader.toString()), Map.of()), Duration.ofMinutes(1));

        assertThat(output.timedOut()).isFalse();
        assertThat(output.lines()).containsExactly("no-input");
    }

    @Test
    void toolWithPipedInputReadsWhatIsWrittenWhileItRunsUntilTheInputIsClosed() throws Exception {
        Path echoer = script("echoer", "while read line; do echo \"got $line\"; done; echo done\n");
        Process process = Processes.builderWithPipedInput(List.of(echoer.toString()), Map.of()).redirectErrorStream(true).start();
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = Processes.readLines(process, lines::add, () -> { }, "test-echoer");

        process.getOutputStream().write("first\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        process.getOutputStream().flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (lines.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(process.isAlive()).isTrue(); // still waiting for more
        process.getOutputStream().write("second\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        process.getOutputStream().close();

        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        reader.join(2_000);
        assertThat(lines).containsExactly("got first", "got second", "done");
    }

    @Test
    void extraEnvironmentIsAddedToTheServicesOwn() throws Exception {
        Path printer = script("printer", "echo \"$STAGEHAND_EXTRA $PATH\"\n");

        Processes.Output output = Processes.run(
                Processes.builder(List.of(printer.toString()), Map.of("STAGEHAND_EXTRA", "given")), Duration.ofMinutes(1));

        assertThat(output.lines()).containsExactly("given " + System.getenv("PATH"));
    }

    @Test
    void outputAndErrorLinesAreCollectedInOrderWithTheExitCode() throws Exception {
        Path tool = script("tool", "echo one\necho two >&2\necho three\nexit 3\n");

        Processes.Output output = Processes.run(Processes.builder(List.of(tool.toString()), Map.of()), Duration.ofMinutes(1));

        assertThat(output.lines()).containsExactly("one", "two", "three");
        assertThat(output.exitCode()).isEqualTo(3);
        assertThat(output.timedOut()).isFalse();
    }

    @Test
    void toolPastItsTimeoutIsEndedAndSaysSo() throws Exception {
        Path sleeper = script("sleeper", "echo started\nexec sleep 300\n");

        Processes.Output output = Processes.run(Processes.builder(List.of(sleeper.toString()), Map.of()), Duration.ofMillis(500));

        assertThat(output.timedOut()).isTrue();
        assertThat(output.exitCode()).isEqualTo(-1);
        assertThat(output.lines()).containsExactly("started");
    }

    @Test
    void toolIgnoringTermIsKilledAfterTheGraceAndSoIsItsChild() throws Exception {
        Path pidFile = temp.resolve("child.pid");
        Path stubborn = script("stubborn", "trap '' TERM\nsleep 300 &\necho $! > " + pidFile + "\necho ready\nwhile true; do sleep 1; done\n");
        Process process = Processes.builder(List.of(stubborn.toString()), Map.of()).redirectErrorStream(true).start();
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        Processes.readLines(process, lines::add, () -> { }, "test-reader");
        long waitedFor = System.nanoTime();
        while (!lines.contains("ready") && System.nanoTime() - waitedFor < TimeUnit.MINUTES.toNanos(1)) {
            Thread.sleep(20);
        }
        long child = Long.parseLong(Files.readString(pidFile).strip());

        Processes.endTree(process.toHandle());

        assertThat(process.isAlive()).isFalse();
        // KILL is sent before endTree returns; the orphan's end is seen once its new parent reaps it.
        assertThat(ProcessHandle.of(child).map(handle -> handle.onExit().completeOnTimeout(handle, 1, TimeUnit.MINUTES)
                .join().isAlive()).orElse(false)).isFalse();
    }

    @Test
    void interruptedWaitEndsTheToolAndKeepsTheInterruption() throws Exception {
        Path sleeper = script("sleeper", "exec sleep 300\n");
        Process process = Processes.builder(List.of(sleeper.toString()), Map.of()).start();
        Thread.currentThread().interrupt();

        boolean interrupted = false;
        try {
            Processes.awaitOrEnd(process, Duration.ofMinutes(5));
        } catch (InterruptedException e) {
            interrupted = true;
        }

        assertThat(interrupted).isTrue();
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
    }
}
