package org.stagehand.catalog;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads catalog files entry by entry without holding the whole file: a Frictionless data package
 * ({@code {"resources": [{"id", "path", "bytes", "hash", "archive_path"}, ...]}}) or a CSV with a
 * header naming the columns {@code id, path, bytes, hash, archive_path} (the last three optional).
 */
final class CatalogFileReader {

    /**
     * One entry as written in the file, before validation; absent fields are null.
     *
     * @param location where it stands: {@code line N} (where the record starts) or {@code resources[N]}
     * @param readProblem why the reader could not read it as written, or null
     */
    record RawEntry(String location, String id, String path, String bytes, String hash, String archivePath,
                    String readProblem) {

        /** An entry the reader could not read as written (e.g. not UTF-8): refused for {@code problem}. */
        static RawEntry refused(String location, String problem) {
            return new RawEntry(location, null, null, null, null, null, problem);
        }
    }

    private final ObjectMapper mapper;

    CatalogFileReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Reads {@code file}, CSV when its name ends in {@code .csv}, otherwise a data package.
     *
     * @throws CatalogFileException when the file cannot be imported at all
     */
    void read(Path file, Consumer<RawEntry> sink) throws IOException {
        if (Files.isDirectory(file)) {
            throw new CatalogFileException(file.getFileName() + " is a directory, not a catalog file");
        }
        if (!Files.isReadable(file)) {
            throw new CatalogFileException("cannot read " + file.getFileName());
        }
        try {
            readFile(file, sink);
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            throw new CatalogFileException("not valid JSON" + (where == null ? "" : " at line " + where.getLineNr()
                    + ", column " + where.getColumnNr()) + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
    }

    private void readFile(Path file, Consumer<RawEntry> sink) throws IOException {
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            try (InputStream in = Files.newInputStream(file)) {
                readCsv(in, sink);
            }
        } else {
            try (InputStream in = Files.newInputStream(file)) {
                readDataPackage(in, sink);
            }
        }
    }

    void readDataPackage(InputStream in, Consumer<RawEntry> sink) throws IOException {
        try (JsonParser parser = mapper.getFactory().createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new CatalogFileException("a data package is a JSON object with a 'resources' array");
            }
            boolean sawResources = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!field.equals("resources")) {
                    parser.skipChildren();
                    continue;
                }
                if (value != JsonToken.START_ARRAY) {
                    throw new CatalogFileException("'resources' must be an array");
                }
                sawResources = true;
                int index = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    JsonNode resource = mapper.readTree(parser);
                    String location = "resources[" + index++ + "]";
                    if (!resource.isObject()) {
                        sink.accept(new RawEntry(location, null, null, null, null, null, null));
                        continue;
                    }
                    sink.accept(new RawEntry(location, text(resource, "id"), text(resource, "path"),
                            text(resource, "bytes"), text(resource, "hash"), text(resource, "archive_path"), null));
                }
            }
            if (!sawResources) {
                throw new CatalogFileException("the data package has no 'resources' array");
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /**
     * Reads RFC 4180 CSV (quoted fields may hold commas, quotes and newlines). A record is named by
     * the line it starts on; one holding bytes that are not UTF-8 is passed on with that problem,
     * and the rest of the file is still read.
     *
     * @throws CatalogFileException when the file is empty, has no usable header, or is not CSV
     */
    void readCsv(InputStream in, Consumer<RawEntry> sink) throws IOException {
        Utf8CheckingReader reader = new Utf8CheckingReader(in);
        CSVFormat format = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get();
        try (CSVParser parser = CSVParser.builder().setReader(reader).setFormat(format).get()) {
            Iterator<CSVRecord> records = parser.iterator();
            if (!records.hasNext()) {
                throw new CatalogFileException("the CSV file is empty; it needs a header line naming id and path");
            }
            CSVRecord header = records.next();
            Map<String, Integer> columns = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                columns.putIfAbsent(header.get(i).trim().toLowerCase(Locale.ROOT), i);
            }
            if (!columns.containsKey("id") || !columns.containsKey("path")) {
                throw new CatalogFileException("the CSV header must name the columns 'id' and 'path' (found: "
                        + header.toList() + ")");
            }
            CSVRecord previous = header;
            while (records.hasNext()) {
                CSVRecord record = records.next();
                emit(reader, previous, record.getCharacterPosition(), columns, sink);
                previous = record;
            }
            emit(reader, previous, Long.MAX_VALUE, columns, sink);
        } catch (UncheckedIOException e) {
            // Commons CSV reports malformed quoting this way, naming the line.
            throw new CatalogFileException("not valid CSV: " + e.getCause().getMessage());
        }
    }

    /** Passes on {@code record}, which ends where the next one starts; the header is not passed on. */
    private static void emit(Utf8CheckingReader reader, CSVRecord record, long nextStart, Map<String, Integer> columns,
                             Consumer<RawEntry> sink) {
        boolean malformed = reader.malformedBetween(record.getCharacterPosition(), nextStart);
        if (record.getRecordNumber() == 1) {
            if (malformed) {
                throw new UncheckedIOException(new IOException("the header line is not valid UTF-8"));
            }
            return;
        }
        String location = "line " + reader.lineOf(record.getCharacterPosition());
        if (record.stream().allMatch(String::isBlank) && !malformed) {
            return;
        }
        if (malformed) {
            sink.accept(RawEntry.refused(location, "the line is not valid UTF-8"));
            return;
        }
        sink.accept(new RawEntry(location, cell(record, columns, "id"), cell(record, columns, "path"),
                cell(record, columns, "bytes"), cell(record, columns, "hash"), cell(record, columns, "archive_path"),
                null));
    }

    private static String cell(CSVRecord record, Map<String, Integer> columns, String name) {
        Integer index = columns.get(name);
        if (index == null || index >= record.size()) {
            return null;
        }
        String trimmed = record.get(index).trim();
        return trimmed.isEmpty() ? null : trimmed;
    }
}
