package org.stagehand.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads catalog files entry by entry without holding the whole file: a Frictionless data package
 * ({@code {"resources": [{"id", "path", "bytes", "hash", "archive_path"}, ...]}}) or a CSV with a
 * header naming the columns {@code id, path, bytes, hash, archive_path} (the last three optional).
 */
final class CatalogFileReader {

    /**
     * One entry as written in the file, before validation; absent fields are null.
     *
     * @param location where it stands: {@code line N} or {@code resources[N]}
     */
    record RawEntry(String location, String id, String path, String bytes, String hash, String archivePath) {
    }

    private final ObjectMapper mapper;

    CatalogFileReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Reads {@code file}, CSV when its name ends in {@code .csv}, otherwise a data package. */
    void read(Path file, Consumer<RawEntry> sink) throws IOException {
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                readCsv(reader, sink);
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
                throw new IOException("a data package is a JSON object with a 'resources' array");
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
                    throw new IOException("'resources' must be an array");
                }
                sawResources = true;
                int index = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    JsonNode resource = mapper.readTree(parser);
                    String location = "resources[" + index++ + "]";
                    if (!resource.isObject()) {
                        sink.accept(new RawEntry(location, null, null, null, null, null));
                        continue;
                    }
                    sink.accept(new RawEntry(location, text(resource, "id"), text(resource, "path"),
                            text(resource, "bytes"), text(resource, "hash"), text(resource, "archive_path")));
                }
            }
            if (!sawResources) {
                throw new IOException("the data package has no 'resources' array");
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    void readCsv(BufferedReader reader, Consumer<RawEntry> sink) throws IOException {
        String header = reader.readLine();
        if (header == null) {
            throw new IOException("the CSV file is empty; it needs a header line naming id and path");
        }
        List<String> names = splitCsvLine(stripByteOrderMark(header));
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            columns.put(names.get(i).trim().toLowerCase(Locale.ROOT), i);
        }
        if (!columns.containsKey("id") || !columns.containsKey("path")) {
            throw new IOException("the CSV header must name the columns 'id' and 'path' (found: " + names + ")");
        }
        String line;
        int number = 1;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            List<String> cells = splitCsvLine(line);
            sink.accept(new RawEntry("line " + number, cell(cells, columns, "id"), cell(cells, columns, "path"),
                    cell(cells, columns, "bytes"), cell(cells, columns, "hash"), cell(cells, columns, "archive_path")));
        }
    }

    private static String stripByteOrderMark(String line) {
        return line.startsWith("\uFEFF") ? line.substring(1) : line;
    }

    private static String cell(List<String> cells, Map<String, Integer> columns, String name) {
        Integer index = columns.get(name);
        if (index == null || index >= cells.size()) {
            return null;
        }
        String value = cells.get(index);
        String trimmed = value.trim();
        return trimmed.isEmpty() ? null : trimmed;
    }

    /** Splits one CSV line: commas separate, double quotes enclose, a doubled quote is a quote. */
    static List<String> splitCsvLine(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
