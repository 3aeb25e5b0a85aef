package org.stagehand.requests;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.stagehand.area.RelativePath;
import org.stagehand.requests.PathRequest.RequestedPath;

/**
 * A path request as accepted and not yet expanded into its files' rows: who asked, the pin, and the
 * paths in order, stored as one document ({@code request_path_list}) so that the stage's commit
 * writes one row whatever the number of paths.
 *
 * <p>The text is a JSON array with one array per path: {@code [name, stagingPath]}, or
 * {@code [name, stagingPath, refusal, metadata]} when the door refused the path (then stagingPath is
 * null) or the client sent metadata. A staging path that ends the name is written as the index in
 * the name where it begins.
 *
 * @param pinSeconds the pin after completion, or null for the configured default
 */
record PathList(String client, Long pinSeconds, List<RequestedPath> paths) {

    private static final JsonFactory JSON = new JsonFactory();

    PathList {
        paths = List.copyOf(paths);
    }

    /** How many paths it holds. */
    int size() {
        return paths.size();
    }

    /** The paths as stored. */
    String text() {
        StringWriter text = new StringWriter(paths.size() * 64);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartArray();
            for (RequestedPath path : paths) {
                json.writeStartArray();
                json.writeString(path.name());
                String stagingPath = path.stagingPath() == null ? null : path.stagingPath().value();
                if (stagingPath != null && path.name().endsWith(stagingPath)) {
                    // As a door maps most paths (a prefix taken off): where it begins in the name, half the size.
                    json.writeNumber(path.name().length() - stagingPath.length());
                } else {
                    json.writeString(stagingPath);
                }
                if (path.refusal() != null || path.metadata() != null) {
                    json.writeString(path.refusal());
                    json.writeString(path.metadata());
                }
                json.writeEndArray();
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /**
     * The paths of a stored text.
     *
     * @throws IllegalArgumentException when the text is not one that {@link #text()} wrote
     */
    static List<RequestedPath> pathsOf(String text) {
        List<RequestedPath> paths = new ArrayList<>();
        try (JsonParser json = JSON.createParser(text)) {
            expect(json.nextToken(), JsonToken.START_ARRAY);
            while (json.nextToken() == JsonToken.START_ARRAY) {
                String name = textOrNull(json.nextToken(), json);
                JsonToken where = json.nextToken();
                String stagingPath = where == JsonToken.VALUE_NUMBER_INT && name != null
                        ? name.substring(Math.min(name.length(), Math.max(0, json.getIntValue()))) : textOrNull(where, json);
                String refusal = null;
                String metadata = null;
                JsonToken next = json.nextToken();
                if (next != JsonToken.END_ARRAY) {
                    refusal = textOrNull(next, json);
                    metadata = textOrNull(json.nextToken(), json);
                    expect(json.nextToken(), JsonToken.END_ARRAY);
                }
                if (name == null || (stagingPath == null) == (refusal == null)) {
                    throw new IllegalArgumentException("not a stored path list: a path needs a name and either a staging path or a refusal");
                }
                paths.add(stagingPath != null ? RequestedPath.of(name, new RelativePath(stagingPath), metadata)
                        : RequestedPath.refused(name, refusal));
            }
            expect(json.currentToken(), JsonToken.END_ARRAY);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a stored path list: " + e.getMessage(), e);
        }
        return paths;
    }

    private static String textOrNull(JsonToken token, JsonParser json) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(token, JsonToken.VALUE_STRING);
        return json.getText();
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new IllegalArgumentException("not a stored path list: " + expected + " expected, " + actual + " found");
        }
    }
}
