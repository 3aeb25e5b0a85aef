package org.stagehand.backend.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;
import org.stagehand.backend.LocatesOnTape.TapePlace;

/**
 * Where {@code sls -D} places a file's archive copy, read from blocks in the format of Oracle's
 * sls(1) man page and the SAM archive guide's examples, including what the stand-in never prints
 * (overflow sections, disk archives, flagged copies).
 */
class SamQfsCopyParsingTest {

    private final SamQfsCopyParser parser = new SamQfsCopyParser();

    @Test
    void aCopyLineGivesTheVolumeAndTheHexadecimalPositionAndOffset() {
        String output = """
                /sam1/online:
                  mode: -rw-r--r--  links:   1  owner: root      group: other
                  length:    319279  admin id:      0  inode:     1027.1
                  archdone;
                  copy 1: ---- Jun 13 17:14      2239a.48  lt MFJ192
                  access:      Jun 13 17:14  modification: Jun 13 17:14
                """;

        assertThat(parser.places(output)).containsExactly(entry("/sam1/online", TapePlace.onTape("MFJ192", 0x2239a, 0x48)));
    }

    @Test
    void aFileThatOverflowedOntoSeveralVolumesLiesWhereItsFirstSectionIs() {
        String output = """
                /sam1/file50:
                  mode: -rw-rw----  links:   1  owner: gmm       group: sam
                  length: 1500000172  admin id:      7  inode:     1407.5
                  offline;  archdone;  stage -n
                  copy 1: ---- Jan 13 15:55  lt
                    section 0: 477609472  7eed4.1  DLT000
                    section 1: 516407296  7fb80.0  DLT001
                    section 2: 505983404  7eb05.0  DLT005
                  access:      Jan 13 17:08  modification: Jan 10 18:03
                """;

        assertThat(parser.places(output)).containsExactly(entry("/sam1/file50", TapePlace.onTape("DLT000", 0x7eed4, 1)));
    }

    @Test
    void aFlaggedCopyIsPassedOverForTheNextUsableOne() {
        String output = """
                /sam1/a:
                  offline;  archdone;
                  copy 1: S--- Jan 13 15:55      1f00.0  li VOL001
                  copy 2: ---- Jan 13 15:58      a0.3  li VOL002
                /sam1/b:
                  offline;
                  copy 1: --D- Jan 13 15:55      1f00.0  li VOL001
                /sam1/c:
                  offline;  archdone;
                  copy 1: S--- Jan 13 15:55  lt
                    section 0: 477609472  7eed4.1  DLT000
                  copy 2: ---- Jan 13 15:58  lt
                    section 0: 477609472  400.0  DLT007
                    section 1: 477609472  500.0  DLT008
                """;

        assertThat(parser.places(output)).containsExactly(entry("/sam1/a", TapePlace.onTape("VOL002", 0xa0, 3)),
                entry("/sam1/c", TapePlace.onTape("DLT007", 0x400, 0)));
    }

    @Test
    void aCopyOnADiskArchiveNeedsNoMountAndAFileWithoutCopiesIsLeftOut() {
        String output = """
                /sam1/disk-archived:
                  offline;  archdone;
                  copy 1: ---- Dec 16 14:07      26.c4d  dk disk01
                  copy 2: ---- Dec 16 14:09      1a.0  li VOL009
                /sam1/never-archived:
                  mode: -rw-r--r--  links:   1  owner: root      group: other
                  length:      1024  admin id:      0  inode:     1031.1
                  access:      Jun 13 17:14  modification: Jun 13 17:14
                """;

        assertThat(parser.places(output)).containsExactly(entry("/sam1/disk-archived", TapePlace.onDisk()));
    }
}
