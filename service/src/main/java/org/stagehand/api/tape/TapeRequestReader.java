package org.stagehand.api.tape;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.stagehand.api.ArchivePaths;
import org.stagehand.http.ApiException;
import org.stagehand.requests.PathRequest.RequestedPath;

/** Reads the door's request bodies: {@code {"files": [{"path": ...}]}} and {@code {"paths": [...]}}. */
final class TapeRequestReader {

    private final ArchivePaths paths;

    TapeRequestReader(ArchivePaths paths) {
        this.paths = paths;
    }

    /**
     * A stage body's distinct paths (slashes collapsed), in order, each mapped to a catalog path or
     * refused. {@code targetedMetadata} is kept as sent, whichever site it names (its own
     * {@code tapeRest.sitename}, or {@code default} as Rucio sends).
     */
    List<RequestedPath> stageFiles(JsonNode body) {
        JsonNode files = body.get("files");
        if (files == null || !files.isArray() || files.isEmpty()) {
            throw ApiException.badRequest("'files' is required: a non-empty array of {\"path\": ...}");
        }
        Map<String, RequestedPath> byName = new LinkedHashMap<>();
        for (int i = 0; i < files.size(); i++) {
            JsonNode file = files.get(i);
            JsonNode path = file.get("path");
            if (!file.isObject() || path == null || !path.isTextual() || path.asText().isEmpty()) {
                throw ApiException.badRequest("files[" + i + "] must be an object with a non-empty string 'path'");
            }
            JsonNode metadata = file.get("targetedMetadata");
            if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
                throw ApiException.badRequest("files[" + i + "].targetedMetadata must be an object");
            }
            JsonNode lifetime = file.get("diskLifetime");
            if (lifetime != null) {
                lifetime(lifetime, "files[" + i + "].diskLifetime"); // the field's name only when there is one
            }
            String name = ArchivePaths.collapse(path.asText());
            if (byName.containsKey(name)) {
                continue; // duplicates count once
            }
            ArchivePaths.Mapped mapped = paths.map(name);
            String stored = metadata == null || metadata.isNull() ? null : metadata.toString();
            byName.put(name, mapped.stagingPath() != null ? RequestedPath.of(name, mapped.stagingPath(), stored)
                    : RequestedPath.refused(name, mapped.refusal()));
        }
        return List.copyOf(byName.values());
    }

    /**
     * The request's pin: the longest {@code diskLifetime} given, for the request or for any of its
     * files (the engine pins per request); empty when none is.
     */
    Optional<Duration> pinOf(JsonNode body) {
        Optional<Duration> longest = lifetime(body.get("diskLifetime"), "diskLifetime");
        JsonNode files = body.get("files");
        for (int i = 0; files != null && i < files.size(); i++) {
            JsonNode lifetime = files.get(i).get("diskLifetime");
            Optional<Duration> own = lifetime == null ? Optional.empty() : lifetime(lifetime, "files[" + i + "].diskLifetime");
            if (own.isPresent() && (longest.isEmpty() || own.get().compareTo(longest.get()) > 0)) {
                longest = own;
            }
        }
        return longest;
    }

    /** An ISO-8601 duration ({@code PT12H}, {@code P1D}, {@code P1M}: a month counts 30 days). */
    static Optional<Duration> lifetime(JsonNode value, String field) {
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest(field + " must be an ISO-8601 duration such as \"P1D\"");
        }
        String text = value.asText().trim();
        try {
            return Optional.of(nonNegative(Duration.parse(text), field));
        } catch (DateTimeParseException e) {
            try {
                Period period = Period.parse(text);
                return Optional.of(nonNegative(Duration.ofDays(period.getYears() * 365L + period.getMonths() * 30L
                        + period.getDays()), field));
            } catch (DateTimeParseException | ArithmeticException again) {
                throw ApiException.badRequest(field + " must be an ISO-8601 duration such as \"P1D\"");
            }
        }
    }

    private static Duration nonNegative(Duration duration, String field) {
        if (duration.isNegative()) {
            throw ApiException.badRequest(field + " must not be negative");
        }
        return duration;
    }

    /** A {@code {"paths": [...]}} body's paths, slashes collapsed, duplicates once, in order. */
    List<String> pathNames(JsonNode body) {
        JsonNode array = body.get("paths");
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw ApiException.badRequest("'paths' is required: a non-empty array of paths");
        }
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode path = array.get(i);
            if (!path.isTextual() || path.asText().isEmpty()) {
                throw ApiException.badRequest("paths[" + i + "] must be a non-empty string");
            }
            names.add(ArchivePaths.collapse(path.asText()));
        }
        return new ArrayList<>(names);
    }
}
