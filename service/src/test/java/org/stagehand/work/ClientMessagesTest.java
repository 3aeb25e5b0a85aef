package org.stagehand.work;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What clients see of errors written by the service and by each backend for the log. */
class ClientMessagesTest {

    private final ClientMessages messages = new ClientMessages(Path.of("/srv/stagehand/staging"),
            List.of("/srv/archive", "/home/p/project"));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // the service itself
        "rename | cannot move the copy into place: java.nio.file.FileSystemException: /srv/stagehand/staging/a/.f.txt.0a.stagehand-part -> /srv/stagehand/staging/a/f.txt: Is a directory"
            + " | cannot move the copy into place: file system error: a/.f.txt.0a.stagehand-part -> a/f.txt: Is a directory",
        "verify | cannot verify the copy: java.io.UncheckedIOException: java.nio.file.NoSuchFileException: /srv/stagehand/staging/x.bin"
            + " | cannot verify the copy: I/O error: no such file: x.bin",
        "prepare | cannot prepare its place in the staging area: /srv/stagehand/staging/d: Permission denied"
            + " | cannot prepare its place in the staging area: d: Permission denied",
        // posix
        "posix | copy of g/one.fasta failed: java.nio.file.AccessDeniedException: /srv/archive/g/one.fasta"
            + " | copy of g/one.fasta failed: permission denied: g/one.fasta",
        "posix root | cannot resolve x: java.nio.file.FileSystemException: /srv/archive: Input/output error"
            + " | cannot resolve x: file system error: the archive: Input/output error",
        // hpss: archive paths below archiveRoot, and hsi's own files elsewhere
        "hpss | hsi stopped at /home/p/project/run1/reads.fastq with HPSS_EIO, see /var/lib/stagehand/hsi/cmd-17.txt"
            + " | hsi stopped at run1/reads.fastq with HPSS_EIO, see cmd-17.txt",
        "hpss copy | cannot copy the recalled /home/p/project/a.bin for this request: java.io.IOException: No space left on device"
            + " | cannot copy the recalled a.bin for this request: I/O error: No space left on device",
        // jdp: URLs are kept
        "jdp | the upstream refuses to restore f1: HTTP 403 from https://jdp.example.org/api/restore (check backend.token)"
            + " | the upstream refuses to restore f1: HTTP 403 from https://jdp.example.org/api/restore (check backend.token)",
        "jdp timeout | download of f1 failed: java.net.http.HttpTimeoutException: request timed out"
            + " | download of f1 failed: timed out: request timed out",
        // hsm
        "hsm | no HSM state for /srv/archive/t/f.dat: dmls exited 1: /srv/archive/t/f.dat: No such file or directory"
            + " | no HSM state for t/f.dat: dmls exited 1: t/f.dat: No such file or directory",
        "unknown exception | odd: com.example.WeirdThingException$Inner: boom | odd: error: boom",
    })
    void showsRelativePathsAndPlainWords(String backend, String logged, String shown) {
        assertThat(messages.forClients(logged)).isEqualTo(shown);
    }

    @Test
    void aRootIsNotMistakenForALongerNameStartingWithIt() {
        assertThat(messages.forClients("see /srv/archive2/x and /srv/archive"))
                .isEqualTo("see x and the archive");
    }

    @Test
    void longMessagesAreCutToWhatTheDatabaseHolds() {
        assertThat(messages.forClients("x".repeat(5000))).hasSize(4000).endsWith("...");
    }
}
