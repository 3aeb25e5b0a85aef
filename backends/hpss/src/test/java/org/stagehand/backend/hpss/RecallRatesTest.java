package org.stagehand.backend.hpss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecallRatesTest {

    private static ArchiveFile at(long position, long size) {
        return new ArchiveFile("/f" + position, size, Optional.of("VA0001"), position, 0);
    }

    /** What a drive of a 70 s mount, 0.02 s per position and 300 bytes a second would take. */
    private static double truth(long from, ArchiveFile file) {
        return Math.abs(file.position() - from) * 0.02 + file.size() / 300.0;
    }

    @Test
    void noRatesBeforeAMountAndAFewFilesWereMeasured() {
        RecallRates rates = new RecallRates();
        assertThat(rates.current()).isEmpty();

        rates.firstFile(80, at(100, 3_000));
        rates.nextFile(truth(100, at(500, 6_000)), 100, at(500, 6_000));
        assertThat(rates.current()).as("one file after the first").isEmpty();

        rates.nextFile(truth(500, at(2_000, 900)), 500, at(2_000, 900));
        assertThat(rates.current()).isPresent();
    }

    @Test
    void locateAndReadRatesAreFittedFromFileIntervalsAndTheMountFromFirstFiles() {
        RecallRates rates = new RecallRates();
        long head = 0;
        long[][] files = {{300, 9_000}, {4_000, 1_500}, {4_100, 30_000}, {9_000, 600}, {20_000, 12_000}, {21_000, 3_000}};
        rates.firstFile(70 + truth(0, at(files[0][0], files[0][1])), at(files[0][0], files[0][1]));
        head = files[0][0];
        for (int i = 1; i < files.length; i++) {
            ArchiveFile file = at(files[i][0], files[i][1]);
            rates.nextFile(truth(head, file), head, file);
            head = file.position();
        }
        // a second session: its first file now tells the mount apart from the locate and the read
        rates.firstFile(70 + truth(0, at(5_000, 2_000)), at(5_000, 2_000));

        org.stagehand.backend.TapeTimeline.DriveRates measured = rates.current().orElseThrow();
        assertThat(measured.secondsPerPosition()).isCloseTo(0.02, within(1e-6));
        assertThat(measured.secondsPerByte()).isCloseTo(1 / 300.0, within(1e-9));
        assertThat(measured.mountSeconds()).as("the latest mount, the first one counted in full before the rates")
                .isCloseTo(0.8 * (70 + truth(0, at(files[0][0], files[0][1]))) + 0.2 * 70, within(1e-6));
    }

    @Test
    void filesSideBySideAreExplainedByReadingAlone() {
        RecallRates rates = new RecallRates();
        rates.firstFile(100, at(0, 1_000));
        for (int i = 0; i < 3; i++) {
            rates.nextFile(5_000 / 250.0, 0, at(0, 5_000));
        }
        assertThat(rates.current().orElseThrow().secondsPerByte()).isCloseTo(1 / 250.0, within(1e-9));
        assertThat(rates.current().orElseThrow().secondsPerPosition()).isZero();
    }
}
