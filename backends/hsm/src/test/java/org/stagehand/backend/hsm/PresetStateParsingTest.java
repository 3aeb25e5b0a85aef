package org.stagehand.backend.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Each preset reads its tool's output as the tool prints it (samples in the format of the tools'
 * manuals), including the variants the stand-ins do not print.
 */
class PresetStateParsingTest {

    private static Map<String, String> parseWith(HsmPreset preset, String output) {
        return new LinePatternStateParser(Pattern.compile(preset.statePattern())).parse(output);
    }

    private static HsmFileState classify(HsmPreset preset, String text) {
        return new StateRules(Pattern.compile(preset.onlinePattern()), Pattern.compile(preset.offlinePattern()),
                java.util.Optional.ofNullable(preset.recallingPattern()).map(Pattern::compile),
                java.util.Optional.ofNullable(preset.lostPattern()).map(Pattern::compile)).classify(text);
    }

    @Test
    void dmlsLongListingYieldsTheThreeLetterStatePerPath() {
        String output = """
                total 68584
                -rw-r--r--    1 kfr      sys      16373855 Jul 22 15:01 (OFL) /dmi4/kfr/dmf_tst.00005
                -rw-------    1 user1    user1      632792 Jul 26  1999 (DUL) /dmi4/kfr/with space
                -rw-r--r--.   1 kfr      sys      36199305 Jul 22 15:53 (UNM) /dmi4/kfr/dmf_tst.00183
                """;

        assertThat(parseWith(HsmPreset.DMF, output)).containsExactly(
                entry("/dmi4/kfr/dmf_tst.00005", "OFL"), entry("/dmi4/kfr/with space", "DUL"),
                entry("/dmi4/kfr/dmf_tst.00183", "UNM"));
    }

    @Test
    void dmfStatesClassify() {
        assertThat(classify(HsmPreset.DMF, "REG")).isEqualTo(HsmFileState.ONLINE);
        assertThat(classify(HsmPreset.DMF, "DUL")).isEqualTo(HsmFileState.ONLINE);
        assertThat(classify(HsmPreset.DMF, "OFL")).isEqualTo(HsmFileState.OFFLINE);
        assertThat(classify(HsmPreset.DMF, "MIG")).isEqualTo(HsmFileState.OFFLINE);
        assertThat(classify(HsmPreset.DMF, "UNM")).isEqualTo(HsmFileState.RECALLING);
        assertThat(classify(HsmPreset.DMF, "INV")).isEqualTo(HsmFileState.UNRECOGNIZED);
    }

    @Test
    void dsmlsSkipsTheBannerAndReadsTheFileStateColumn() {
        String output = """
                IBM Storage Protect
                Command Line Space Management Client Interface
                  Client Version 8, Release 1, Level 19.0
                (c) Copyright by IBM Corporation and other(s) 1990, 2023. All Rights Reserved.

                        ActS         ResS       ResB  FSt   FName
                     1048576            0          0  m     /gpfs/fs1/tape.bin
                       4,096        4,096          4  r     /gpfs/fs1/disk.bin
                     1048576            0          0  m (p) /gpfs/fs1/partial.bin
                     1048576      1048576       1024  p     SERVER1  /gpfs/fs1/premigrated.bin
                """;

        assertThat(parseWith(HsmPreset.SPECTRUM, output)).containsExactly(
                entry("/gpfs/fs1/tape.bin", "m"), entry("/gpfs/fs1/disk.bin", "r"),
                entry("/gpfs/fs1/partial.bin", "m (p)"), entry("/gpfs/fs1/premigrated.bin", "p"));
        assertThat(classify(HsmPreset.SPECTRUM, "m (p)")).isEqualTo(HsmFileState.OFFLINE);
        assertThat(classify(HsmPreset.SPECTRUM, "p")).isEqualTo(HsmFileState.ONLINE);
    }

    @Test
    void lfsHsmStateFlagsReleasedAndLostFiles() {
        String output = """
                /lustre/a: (0x0000000d) released exists archived, archive_id:1
                /lustre/b: (0x00000009) exists archived, archive_id:1
                /lustre/c: (0x00000000)
                /lustre/d: (0x0000004d) released exists archived lost, archive_id:1
                """;

        Map<String, String> states = parseWith(HsmPreset.LUSTRE, output);

        assertThat(states).containsOnlyKeys("/lustre/a", "/lustre/b", "/lustre/c", "/lustre/d");
        assertThat(classify(HsmPreset.LUSTRE, states.get("/lustre/a"))).isEqualTo(HsmFileState.OFFLINE);
        assertThat(classify(HsmPreset.LUSTRE, states.get("/lustre/b"))).isEqualTo(HsmFileState.ONLINE);
        assertThat(classify(HsmPreset.LUSTRE, states.get("/lustre/c"))).isEqualTo(HsmFileState.ONLINE);
        assertThat(classify(HsmPreset.LUSTRE, states.get("/lustre/d"))).isEqualTo(HsmFileState.LOST);
    }

    @Test
    void slsDetailBlocksYieldTheFlagLine() {
        String output = """
                /sam1/file50:
                  mode: -rw-rw----  links:   1  owner: gmm       group: sam
                  length: 1500000172  admin id:      7  inode:     1407.5
                  offline;  archdone;  stage -n
                  copy 1: ---- Jan 13 15:55  lt
                    section 0: 477609472  7eed4.1  DLT000
                  access:      Jan 13 17:08  modification: Jan 10 18:03

                /sam1/online:
                  mode: -rw-r--r--  links:   1  owner: root      group: other
                  length:    319279  admin id:      0  inode:     1027.1
                  copy 1: ---- Jun 13 17:14      2239a.48  lt MFJ192
                """;

        Map<String, String> states = new SamQfsStateParser().parse(output);

        assertThat(states).containsExactly(entry("/sam1/file50", "offline;  archdone;  stage -n"),
                entry("/sam1/online", ""));
        assertThat(classify(HsmPreset.SAMQFS, states.get("/sam1/file50"))).isEqualTo(HsmFileState.OFFLINE);
        assertThat(classify(HsmPreset.SAMQFS, states.get("/sam1/online"))).isEqualTo(HsmFileState.ONLINE);
        assertThat(classify(HsmPreset.SAMQFS, "damaged;  offline;")).isEqualTo(HsmFileState.LOST);
    }
}
