package org.stagehand.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Replaces the value of every token-like query parameter ({@code access_token}, {@code token},
 * {@code secret}, {@code password}, {@code api_key}, ...) by {@code REDACTED} as the request
 * enters Jetty, on every connector. Jetty logs the request it handed to the handlers, so the
 * request log, every log line and the application itself only ever see the redacted query; a
 * client that put its token in the URL has it kept nowhere.
 */
public final class QueryRedaction implements HttpConfiguration.Customizer {

    /** Parameter names that carry secrets, matched anywhere in the name, in any case. */
    private static final Pattern TOKEN_LIKE = Pattern.compile(
            "token|secret|passw|api[-_]?key|apikey|signature|credential|session", Pattern.CASE_INSENSITIVE);
    static final String REDACTED = "REDACTED";

    /** Installs the redaction on every connector of the server before it starts. */
    public static LifeCycle.Listener onEveryConnector() {
        QueryRedaction redaction = new QueryRedaction();
        return EveryConnector.configure(configuration -> configuration.addCustomizer(redaction));
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        String query = request.getHttpURI().getQuery();
        String redacted = query == null ? null : redact(query);
        if (redacted == null) {
            return request;
        }
        HttpURI uri = HttpURI.build(request.getHttpURI()).query(redacted).asImmutable();
        return new Request.Wrapper(request) {
            @Override
            public HttpURI getHttpURI() {
                return uri;
            }
        };
    }

    /** The raw query with token-like values replaced, or null when it holds none. */
    static String redact(String rawQuery) {
        String[] parameters = rawQuery.split("&", -1);
        boolean changed = false;
        for (int i = 0; i < parameters.length; i++) {
            int equals = parameters[i].indexOf('=');
            String rawName = equals < 0 ? parameters[i] : parameters[i].substring(0, equals);
            if (TOKEN_LIKE.matcher(decodedLeniently(rawName)).find()) {
                parameters[i] = rawName + "=" + REDACTED;
                changed = true;
            }
        }
        return changed ? String.join("&", parameters) : null;
    }

    /** The name as Jersey would see it (so {@code access%5Ftoken} is caught), or as sent when it cannot be decoded. */
    private static String decodedLeniently(String rawName) {
        try {
            return URLDecoder.decode(rawName, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return rawName;
        }
    }
}
