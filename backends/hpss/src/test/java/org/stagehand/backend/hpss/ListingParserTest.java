package org.stagehand.backend.hpss;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Reading {@code hsi ls -P} output. */
class ListingParserTest {

    private final ListingParser parser = new ListingParser(Optional.empty());

    @Test
    void aFileLineGivesTheFirstSixCharactersOfTheLabelAndPositionPlusOffset() {
        Map<String, ListingParser.Entry> entries = parser.parse(List.of(
                "FILE\t/home/p/a.tar\t1073741824\t1073741824\t2856+12\tEA123400\t5\t0\t1\t07/27/2017\t14:42:48\t07/27/2017\t14:42:51"),
                List.of("/home/p/a.tar"));

        assertThat(entries.get("/home/p/a.tar")).isEqualTo(new ListingParser.Found(
                new ArchiveFile("/home/p/a.tar", 1073741824L, Optional.of("EA1234"), 2856, 12)));
    }

    @Test
    void aPathWithSpacesIsMatchedWhole() {
        Map<String, ListingParser.Entry> entries = parser.parse(List.of(
                "FILE    /home/p/my run/b c.fastq   42   42   7+0   EB000100   4   0   1"),
                List.of("/home/p/my run/b c.fastq", "/home/p/my run/b"));

        assertThat(entries).containsOnlyKeys("/home/p/my run/b c.fastq");
        assertThat(((ListingParser.Found) entries.get("/home/p/my run/b c.fastq")).file().volume()).contains("EB0001");
    }

    @Test
    void aMissingOrDashLabelMeansDiskResident() {
        Map<String, ListingParser.Entry> entries = parser.parse(List.of(
                "FILE /d/one 5 5 0+0 -", "FILE /d/two 6 6"), List.of("/d/one", "/d/two"));

        assertThat(((ListingParser.Found) entries.get("/d/one")).file().isDiskResident()).isTrue();
        assertThat(((ListingParser.Found) entries.get("/d/two")).file().isDiskResident()).isTrue();
    }

    @Test
    void theDiskPatternMarksDiskCacheLabels() {
        ListingParser withPattern = new ListingParser(Optional.of(Pattern.compile("DK.*")));

        Map<String, ListingParser.Entry> entries = withPattern.parse(List.of(
                "FILE /d/one 5 5 0+0 DK000100", "FILE /d/two 5 5 3+0 EA000100"), List.of("/d/one", "/d/two"));

        assertThat(((ListingParser.Found) entries.get("/d/one")).file().isDiskResident()).isTrue();
        assertThat(((ListingParser.Found) entries.get("/d/two")).file().volume()).contains("EA0001");
    }

    @Test
    void anErrorNamingAPathIsAPermanentProblemForThatPathOnly() {
        Map<String, ListingParser.Entry> entries = parser.parse(List.of(
                "***HSI0002: /p/gone: No such file or directory [-2: HPSS_ENOENT]",
                "FILE /p/gone2 1 1 1+0 EA000100"), List.of("/p/gone", "/p/gone2"));

        assertThat(entries.get("/p/gone")).isEqualTo(new ListingParser.Problem(
                "not in HPSS: /p/gone (hsi ls -P: ***HSI0002: /p/gone: No such file or directory [-2: HPSS_ENOENT])", true, true));
        assertThat(entries.get("/p/gone2")).isInstanceOf(ListingParser.Found.class);
    }

    @Test
    void aTwoLineErrorIsAboutThePathOnItsSecondLine() {
        Map<String, ListingParser.Entry> entries = parser.parse(List.of(
                "*** ls: No such file or directory [-2: HPSS_ENOENT]",
                "    /home/p/proj/archive/run7/reads.fastq",
                "*** hpss_Lstat: Connection timed out [-110: HPSS_ETIMEDOUT]",
                "    /home/p/proj/archive/run7/other.fastq"),
                List.of("/home/p/proj/archive/run7/reads.fastq", "/home/p/proj/archive/run7/other.fastq"));

        assertThat(entries.get("/home/p/proj/archive/run7/reads.fastq")).isEqualTo(new ListingParser.Problem(
                "not in HPSS: /home/p/proj/archive/run7/reads.fastq (hsi ls -P: *** ls: No such file or directory"
                        + " [-2: HPSS_ENOENT] /home/p/proj/archive/run7/reads.fastq)", true, true));
        assertThat(entries.get("/home/p/proj/archive/run7/other.fastq")).isInstanceOfSatisfying(ListingParser.Problem.class,
                problem -> assertThat(problem.permanent()).isFalse());
    }

    @Test
    void promptsGluedToLinesAreIgnored() {
        Map<String, ListingParser.Entry> entries = parser.parse(List.of(
                "A:/home/u-> *** ls: No such file or directory [-2: HPSS_ENOENT]",
                "    /p/gone",
                "A:/home/u-> O:[hpss]/home/u->FILE\t/p/here\t5\t5\t3+0\tEA000100",
                "? FILE\t/p/there\t5\t5\t4+0\tEA000100",
                "A:/home/u-> "), List.of("/p/gone", "/p/here", "/p/there"));

        assertThat(((ListingParser.Problem) entries.get("/p/gone")).permanent()).isTrue();
        assertThat(entries.get("/p/here")).isInstanceOf(ListingParser.Found.class);
        assertThat(entries.get("/p/there")).isInstanceOf(ListingParser.Found.class);
    }

    @Test
    void permissionErrorsArePermanentAndSaySo() {
        Map<String, ListingParser.Entry> entries = parser.parse(List.of(
                "*** hpss_Lstat: Permission denied [-13: HPSS_EACCES]", "    /p/secret"), List.of("/p/secret"));

        assertThat(entries.get("/p/secret")).isInstanceOfSatisfying(ListingParser.Problem.class, problem -> {
            assertThat(problem.permanent()).isTrue();
            assertThat(problem.message()).contains("does not let this service's account read /p/secret");
        });
    }

    @Test
    void aTemporaryErrorIsNotPermanentAndADirectoryIs() {
        Map<String, ListingParser.Entry> entries = parser.parse(List.of(
                "*** hpss_Lstat: Resource temporarily unavailable [-11: HPSS_EAGAIN]", "    /p/busy",
                "DIRECTORY\t/p/dir"), List.of("/p/busy", "/p/dir"));

        assertThat(((ListingParser.Problem) entries.get("/p/busy")).permanent()).isFalse();
        assertThat(((ListingParser.Problem) entries.get("/p/dir")).permanent()).isTrue();
    }
}
