package org.stagehand.http;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.stagehand.db.StorableText;

/**
 * Refuses, for every endpoint and before anything else runs, a query string that could be read
 * two ways: a parameter given twice ({@code ?id=A&id=B}: the first would win silently), a
 * percent-escape that is not valid UTF-8 (it would be replaced, and another value looked up), or
 * a value no database can store (a NUL). Answered 400, naming the parameter.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public final class QueryParameterCheck implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        String problem = problemWith(request.getUriInfo().getRequestUri().getRawQuery());
        if (problem != null) {
            throw ApiException.badRequest(problem);
        }
    }

    /** Why the raw query string cannot be taken as it is, or null when it can. */
    public static String problemWith(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        Set<String> seen = new HashSet<>();
        for (String parameter : rawQuery.split("&")) {
            if (parameter.isEmpty()) {
                continue;
            }
            int equals = parameter.indexOf('=');
            String name = decode(equals < 0 ? parameter : parameter.substring(0, equals));
            if (name == null) {
                return "a query parameter's name is not valid percent-encoded UTF-8";
            }
            String shown = shown(name);
            String value = equals < 0 ? "" : decode(parameter.substring(equals + 1));
            if (value == null) {
                return "the query parameter '" + shown + "' is not valid percent-encoded UTF-8";
            }
            String unstorable = StorableText.problemWith(name + value);
            if (unstorable != null) {
                return "the query parameter '" + shown + "' " + unstorable;
            }
            if (!seen.add(name)) {
                return "the query parameter '" + shown + "' is given more than once; give it once";
            }
        }
        return null;
    }

    /** Percent-decodes strictly: a malformed escape or byte sequence gives null. */
    private static String decode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else {
                int codePoint = raw.codePointAt(i);
                byte[] encoded = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
                i += Character.charCount(codePoint) - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String shown(String name) {
        String printable = name.replaceAll("[\\p{Cntrl}]", "?");
        return printable.length() <= 64 ? printable : printable.substring(0, 61) + "...";
    }
}
