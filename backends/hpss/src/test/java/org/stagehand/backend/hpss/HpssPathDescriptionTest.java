package org.stagehand.backend.hpss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.DescribesPaths;
import org.stagehand.backend.DescribesPaths.ArchivedFile;
import org.stagehand.backend.DescribesPaths.Locality;

/** HPSS says what is at archive locations with {@code hsi ls -P}, through the stand-in's real processes. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HpssPathDescriptionTest {

    @TempDir
    Path temp;

    private HsiStandIn hpss;
    private ArchiveBackend backend;

    @BeforeEach
    void setUp() throws Exception {
        hpss = new HsiStandIn(temp);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (backend != null) {
            backend.close();
        }
    }

    private DescribesPaths describer(HpssBackendFactory factory) throws IOException {
        backend = hpss.build(factory);
        assertThat(backend).isInstanceOf(DescribesPaths.class);
        return (DescribesPaths) backend;
    }

    private List<HsiStandIn.Event> listings() throws IOException {
        return hpss.events("START").stream().filter(start -> start.detail().contains("ls -P")).toList();
    }

    @Test
    void oneListingTellsSizesAndTapeFromDiskCacheAndWhatIsNotThere() throws Exception {
        hpss.set("HSI_STANDIN_DISK_LABEL", "DK000100")
                .onTape("t/on-tape", "twelve bytes", "EA0001", 7, 0)
                .onDisk("d/cached", "four")
                .onDisk("dir/inside", "x");
        HpssBackendFactory factory = hpss.factory();
        factory.setDiskVolumePattern("DK.*");

        Map<String, Optional<ArchivedFile>> answers = describer(factory)
                .describeAll(List.of("t/on-tape", "d/cached", "missing/file", "dir", "../outside"));

        assertThat(answers).containsOnlyKeys("t/on-tape", "d/cached", "missing/file", "dir", "../outside");
        assertThat(answers.get("t/on-tape")).contains(new ArchivedFile(12, Optional.empty(), Locality.TAPE));
        assertThat(answers.get("d/cached")).contains(new ArchivedFile(4, Optional.empty(), Locality.DISK));
        assertThat(answers.get("missing/file")).as("hsi says HPSS_ENOENT").isEmpty();
        assertThat(answers.get("dir")).as("a directory is no file to stage").isEmpty();
        assertThat(answers.get("../outside")).isEmpty();
        assertThat(listings()).as("one ls -P for the four HPSS paths").hasSize(1);
    }

    @Test
    void manyPathsAreListedInCallsThatStayUnderTheCommandLineLimit() throws Exception {
        List<String> locations = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String location = "batch/" + "n".repeat(40) + "/file-" + i;
            hpss.onTape(location, "content " + i, "EA0001", i, 0);
            locations.add(location);
        }
        HpssBackendFactory factory = hpss.factory();
        factory.setMaxCommandLineBytes(400);

        Map<String, Optional<ArchivedFile>> answers = describer(factory).describeAll(locations);

        assertThat(answers).hasSize(60).allSatisfy((location, file) -> assertThat(file).isPresent());
        assertThat(hpss.events("TOOLONG")).as("command lines hsi refused").isEmpty();
        assertThat(listings().size()).as("ls -P calls for 60 paths of about 90 bytes under 400 bytes").isGreaterThan(10);
        assertThat(hpss.events("LIST")).hasSize(60);
    }

    @Test
    void anHsiThatFailsIsAnErrorAndNeverMeansAbsent() throws Exception {
        hpss.onTape("t/a", "a", "EA0001", 1, 0).failNext("ls", null, "drop75", 2);
        DescribesPaths describer = describer(hpss.factory());

        assertThatThrownBy(() -> describer.describeAll(List.of("t/a", "t/missing"))).isInstanceOf(IOException.class)
                .hasMessageContaining("hsi ls -P ended with");
        assertThatThrownBy(() -> describer.describe("t/a")).isInstanceOf(IOException.class);
        assertThat(describer.describe("t/a")).as("once hsi works again").isPresent();
    }

    @Test
    void aPathHsiCannotSayAboutIsLeftOutWhileTheOthersAreAnswered() throws Exception {
        hpss.onTape("t/a", "a", "EA0001", 1, 0).onTape("t/locked", "b", "EA0001", 2, 0)
                .onTape("t/slow", "c", "EA0001", 3, 0)
                .failNext("ls", "t/locked", "eacces", 1).failNext("ls", "t/slow", "timeout", 1);

        Map<String, Optional<ArchivedFile>> answers = describer(hpss.factory())
                .describeAll(List.of("t/a", "t/locked", "t/slow", "t/gone"));

        assertThat(answers).containsOnlyKeys("t/a", "t/gone");
        assertThat(answers.get("t/a")).isPresent();
        assertThat(answers.get("t/gone")).isEmpty();
    }

    @Test
    void aSingleDescribeOfAMissingFileIsEmpty() throws Exception {
        Files.createDirectories(temp.resolve("hpss"));

        assertThat(describer(hpss.factory()).describe("nothing/here")).isEmpty();
    }
}
