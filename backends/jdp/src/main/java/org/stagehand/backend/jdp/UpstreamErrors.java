package org.stagehand.backend.jdp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.stagehand.backend.jdp.UpstreamException.Kind;

/**
 * Turns the upstream's error answers into {@link UpstreamException}s: the kind from the status,
 * the explanation from the body, Retry-After, and never the credential.
 */
final class UpstreamErrors {

    /** How much of an error body is read: enough for a 404 listing hundreds of unknown IDs. */
    private static final int EXCERPT_BYTES = 256 << 10;
    private static final int MESSAGE_CHARS = 300;

    private final AuthHeader auth;
    private final ObjectMapper mapper;

    UpstreamErrors(AuthHeader auth, ObjectMapper mapper) {
        this.auth = auth;
        this.mapper = mapper;
    }

    /** Builds the exception for a non-success answer from its (unread) body, with the upstream's own explanation. */
    UpstreamException failure(String what, Response response, InputStream body) {
        int status = response.getStatus();
        String text = read(body);
        String detail = errorDetail(text);
        Kind kind = switch (status) {
            case 404 -> Kind.NOT_FOUND;
            case 409 -> Kind.NOT_RESTORED;
            case 413 -> Kind.TOO_LARGE;
            case 401, 407 -> Kind.AUTH;
            case 408, 425, 429 -> Kind.TRANSIENT;
            default -> status >= 400 && status < 500 ? Kind.REFUSED : Kind.TRANSIENT;
        };
        Optional<Duration> retryAfter = retryAfter(response.getHeaderString("Retry-After"), Clock.systemUTC());
        String message = what + " answered HTTP " + status + (detail.isEmpty() ? "" : ": " + detail)
                + retryAfter.map(d -> " (Retry-After " + d.toSeconds() + " s)").orElse("");
        // The body is kept only where it is read again: a 404's list of unknown IDs.
        return new UpstreamException(kind, status, message, retryAfter, kind == Kind.NOT_FOUND ? auth.redact(text) : "");
    }

    /** The start of an error body, or "" when there is none. */
    private static String read(InputStream body) {
        if (body == null) {
            return "";
        }
        try {
            return new String(body.readNBytes(EXCERPT_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } finally {
            JdpClient.abort(body);
        }
    }

    /** The upstream's explanation from an error body: a JSON message field, else the text. */
    private String errorDetail(String text) {
        String detail = text;
        if (text.stripLeading().startsWith("{")) {
            try {
                detail = messageOf(mapper.readTree(text)).orElse(text);
            } catch (JsonProcessingException e) {
                // a cut-off or invalid JSON body: show it as text
            }
        }
        return oneLine(auth.redact(detail));
    }

    /** The first explanation field of a JSON answer. */
    static Optional<String> messageOf(JsonNode json) {
        for (String field : List.of("error", "message", "detail", "status_message", "msg")) {
            JsonNode value = json.path(field);
            if (value.isTextual() && !value.asText().isBlank()) {
                return Optional.of(value.asText());
            }
        }
        return Optional.empty();
    }

    /** Upstream text fit for a message: redacted, on one line, cut short. */
    String excerpt(String text) {
        return oneLine(auth.redact(text));
    }

    private static String oneLine(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= MESSAGE_CHARS ? flat : flat.substring(0, MESSAGE_CHARS) + "...";
    }

    /**
     * Parses Retry-After: delta-seconds or an HTTP date.
     *
     * @return the wait, never negative; empty when absent or unreadable
     */
    static Optional<Duration> retryAfter(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.strip();
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        try {
            ZonedDateTime when = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration wait = Duration.between(clock.instant(), when.toInstant());
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
