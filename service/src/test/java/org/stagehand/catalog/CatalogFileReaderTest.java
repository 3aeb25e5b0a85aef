package org.stagehand.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.catalog.CatalogFileReader.RawEntry;

class CatalogFileReaderTest {

    private final CatalogFileReader reader = new CatalogFileReader(new ObjectMapper());

    private List<RawEntry> dataPackage(String json) throws IOException {
        List<RawEntry> entries = new ArrayList<>();
        reader.readDataPackage(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), entries::add);
        return entries;
    }

    private List<RawEntry> csv(String text) throws IOException {
        List<RawEntry> entries = new ArrayList<>();
        return csv(text.getBytes(StandardCharsets.UTF_8));
    }

    private List<RawEntry> csv(byte[] bytes) throws IOException {
        List<RawEntry> entries = new ArrayList<>();
        reader.readCsv(new ByteArrayInputStream(bytes), entries::add);
        return entries;
    }

    // --- data packages -------------------------------------------------------------------------

    @Test
    void readsEveryFieldOfEachResource() throws IOException {
        List<RawEntry> entries = dataPackage("""
                {"resources": [
                  {"id": "f1", "path": "genomes/a.fasta", "bytes": 1234,
                   "hash": "md5:900150983cd24fb0d6963f7d28e17f72", "archive_path": "tape/a.fasta"},
                  {"id": "f2", "path": "reads/b.fastq"}
                ]}
                """);

        assertThat(entries).containsExactly(
                new RawEntry("resources[0]", "f1", "genomes/a.fasta", "1234",
                        "md5:900150983cd24fb0d6963f7d28e17f72", "tape/a.fasta", null),
                new RawEntry("resources[1]", "f2", "reads/b.fastq", null, null, null, null));
    }

    @Test
    void ignoresExtraFieldsAtEveryLevel() throws IOException {
        List<RawEntry> entries = dataPackage("""
                {"profile": "data-package",
                 "name": "catalog",
                 "meta": {"resources": "not these", "nested": [1, {"resources": []}]},
                 "licenses": [{"name": "CC-BY-4.0"}],
                 "resources": [
                   {"name": "a", "format": "fasta", "schema": {"fields": [{"id": "x"}]},
                    "id": "f1", "mediatype": "text/plain", "path": "a.fasta", "sources": []}
                 ],
                 "created": "2024-01-01T00:00:00Z"}
                """);

        assertThat(entries).containsExactly(new RawEntry("resources[0]", "f1", "a.fasta", null, null, null, null));
    }

    @Test
    void explicitNullFieldsReadAsAbsent() throws IOException {
        List<RawEntry> entries = dataPackage("""
                {"resources": [{"id": "f1", "path": "a", "bytes": null, "hash": null, "archive_path": null}]}
                """);

        assertThat(entries).containsExactly(new RawEntry("resources[0]", "f1", "a", null, null, null, null));
    }

    @Test
    void resourceThatIsNotAnObjectIsPassedOnWithItsIndex() throws IOException {
        List<RawEntry> entries = dataPackage("""
                {"resources": [{"id": "f1", "path": "a"}, "oops", {"id": "f3", "path": "c"}]}
                """);

        assertThat(entries).extracting(RawEntry::location)
                .containsExactly("resources[0]", "resources[1]", "resources[2]");
        assertThat(entries.get(1).id()).isNull();
        assertThat(entries.get(1).path()).isNull();
        assertThat(entries.get(2).id()).isEqualTo("f3");
    }

    @Test
    void emptyResourcesArrayYieldsNothing() throws IOException {
        assertThat(dataPackage("{\"resources\": []}")).isEmpty();
    }

    @Test
    void refusesDataPackageWithoutResources() {
        assertThatThrownBy(() -> dataPackage("{\"name\": \"catalog\", \"meta\": {\"resources\": []}}"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("resources");
    }

    @Test
    void refusesResourcesThatAreNotAnArray() {
        assertThatThrownBy(() -> dataPackage("{\"resources\": {\"id\": \"f1\"}}"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("resources");
    }

    @Test
    void refusesJsonThatIsNotAnObject() {
        assertThatThrownBy(() -> dataPackage("[{\"id\": \"f1\", \"path\": \"a\"}]"))
                .isInstanceOf(IOException.class);
    }

    // --- CSV -----------------------------------------------------------------------------------

    @Test
    void readsQuotedCellsWithCommasAndDoubledQuotes() throws IOException {
        List<RawEntry> entries = csv("""
                id,path,archive_path
                f1,"dir/a, b.txt","tape/say ""hi"".txt"
                """);

        assertThat(entries).containsExactly(
                new RawEntry("line 2", "f1", "dir/a, b.txt", null, null, "tape/say \"hi\".txt", null));
    }

    @Test
    void quotedFieldHoldingANewlineIsOneCellAndTheNextRecordKeepsItsLineNumber() throws IOException {
        List<RawEntry> entries = csv("id,path\r\nf1,\"dir/two\r\nlines.txt\"\r\nf2,b.txt\r\n");

        assertThat(entries).containsExactly(
                new RawEntry("line 2", "f1", "dir/two\r\nlines.txt", null, null, null, null),
                new RawEntry("line 4", "f2", "b.txt", null, null, null, null));
    }

    @Test
    void lineWithABadUtf8ByteIsRefusedByNumberAndTheRestIsRead() throws IOException {
        byte[] head = "id,path\nf1,a.txt\nf2,b".getBytes(StandardCharsets.UTF_8);
        byte[] tail = ".txt\nf3,\u00e9t\u00e9.txt\n".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xC3; // a lead byte followed by an ASCII '.': malformed
        System.arraycopy(tail, 0, bytes, head.length + 1, tail.length);

        List<RawEntry> entries = csv(bytes);

        assertThat(entries).containsExactly(
                new RawEntry("line 2", "f1", "a.txt", null, null, null, null),
                RawEntry.refused("line 3", "the line is not valid UTF-8"),
                new RawEntry("line 4", "f3", "\u00e9t\u00e9.txt", null, null, null, null));
    }

    @Test
    void badUtf8FarIntoALargeFileIsFoundOnItsLine() throws IOException {
        StringBuilder text = new StringBuilder("id,path\n");
        for (int i = 2; i <= 5000; i++) {
            text.append("f").append(i).append(",dir/file-").append(i).append(".bin\n");
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        String needle = "file-2502.bin";
        int at = text.indexOf(needle) + 5;
        bytes[at] = (byte) 0xFF;

        List<RawEntry> entries = csv(bytes);

        assertThat(entries).hasSize(4999);
        assertThat(entries).filteredOn(entry -> entry.readProblem() != null).extracting(RawEntry::location)
                .containsExactly("line 2502");
    }

    @Test
    void emptyCsvAndCsvWithoutUsableHeaderAreWholeFileErrors() {
        assertThatThrownBy(() -> csv("")).isInstanceOf(CatalogFileException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> csv("\n\n")).isInstanceOf(CatalogFileException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> csv("name,size\nf1,3\n")).isInstanceOf(CatalogFileException.class)
                .hasMessageContaining("'id' and 'path'");
    }

    @Test
    void unterminatedQuoteIsAWholeFileError() {
        assertThatThrownBy(() -> csv("id,path\nf1,\"a.txt\nf2,b.txt\n")).isInstanceOf(CatalogFileException.class)
                .hasMessageContaining("not valid CSV");
    }

    @Test
    void acceptsColumnsInAnyOrder() throws IOException {
        List<RawEntry> entries = csv("""
                archive_path,bytes,path,hash,id
                tape/1,42,staged/1.dat,md5:900150983cd24fb0d6963f7d28e17f72,f1
                """);

        assertThat(entries).containsExactly(new RawEntry("line 2", "f1", "staged/1.dat", "42",
                "md5:900150983cd24fb0d6963f7d28e17f72", "tape/1", null));
    }

    @Test
    void headerNamesIgnoreCaseSurroundingSpaceAndAByteOrderMark() throws IOException {
        List<RawEntry> entries = csv("\uFEFF Path , ID \nstaged/1.dat,f1\n");

        assertThat(entries).containsExactly(new RawEntry("line 2", "f1", "staged/1.dat", null, null, null, null));
    }

    @Test
    void ignoresUnknownColumns() throws IOException {
        List<RawEntry> entries = csv("""
                id,comment,path
                f1,"anything, really",a.txt
                """);

        assertThat(entries).containsExactly(new RawEntry("line 2", "f1", "a.txt", null, null, null, null));
    }

    @Test
    void emptyAndMissingCellsReadAsAbsentAndCellsAreTrimmed() throws IOException {
        List<RawEntry> entries = csv("""
                id,path,bytes,hash,archive_path
                 f1 , a.txt ,,  ,
                f2,b.txt
                """);

        assertThat(entries).containsExactly(
                new RawEntry("line 2", "f1", "a.txt", null, null, null, null),
                new RawEntry("line 3", "f2", "b.txt", null, null, null, null));
    }

    @Test
    void refusesHeaderWithoutIdColumn() {
        assertThatThrownBy(() -> csv("identifier,path\nf1,a.txt\n"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("id");
    }

    @Test
    void refusesHeaderWithoutPathColumn() {
        assertThatThrownBy(() -> csv("id,archive_path\nf1,tape/a\n"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("path");
    }

    @Test
    void refusesEmptyCsv() {
        assertThatThrownBy(() -> csv("")).isInstanceOf(IOException.class);
    }

    @Test
    void skipsBlankLinesButCountsThemInLineNumbers() throws IOException {
        List<RawEntry> entries = csv("id,path\n\nf1,a.txt\n   \nf2,b.txt\n\n");

        assertThat(entries).extracting(RawEntry::location).containsExactly("line 3", "line 5");
        assertThat(entries).extracting(RawEntry::id).containsExactly("f1", "f2");
    }

    @Test
    void numbersLinesFromTheHeaderAsLineOne() throws IOException {
        List<RawEntry> entries = csv("id,path\nf1,a\nf2,b\nf3,c\n");

        assertThat(entries).extracting(RawEntry::location).containsExactly("line 2", "line 3", "line 4");
    }

    @Test
    void countsWindowsLineEndingsAsOneLineEach() throws IOException {
        List<RawEntry> entries = csv("id,path\r\nf1,a.txt\r\nf2,b.txt\r\n");

        assertThat(entries).containsExactly(
                new RawEntry("line 2", "f1", "a.txt", null, null, null, null),
                new RawEntry("line 3", "f2", "b.txt", null, null, null, null));
    }

    // --- files ---------------------------------------------------------------------------------

    @Test
    void readsAFileAsCsvOrDataPackageByItsName(@TempDir Path dir) throws IOException {
        Path csvFile = Files.writeString(dir.resolve("catalog.CSV"), "id,path\nf1,a.txt\n");
        Path jsonFile = Files.writeString(dir.resolve("datapackage.json"),
                "{\"resources\": [{\"id\": \"f2\", \"path\": \"b.txt\"}]}");
        List<RawEntry> entries = new ArrayList<>();

        reader.read(csvFile, entries::add);
        reader.read(jsonFile, entries::add);

        assertThat(entries).containsExactly(
                new RawEntry("line 2", "f1", "a.txt", null, null, null, null),
                new RawEntry("resources[0]", "f2", "b.txt", null, null, null, null));
    }
}
