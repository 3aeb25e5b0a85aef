package org.stagehand.backend.jdp;

import java.util.Optional;
import org.stagehand.backend.support.ServiceEnvironment;

/**
 * The value of the Authorization header sent upstream. Its {@link #toString()} hides the value so
 * that it cannot reach a log line or an exception message by accident.
 */
final class AuthHeader {

    static final AuthHeader NONE = new AuthHeader(null);

    private final String value;

    private AuthHeader(String value) {
        this.value = value;
    }

    /**
     * The header for the secret in the service's environment variable {@code variable}; none when
     * no variable is configured.
     *
     * @throws IllegalArgumentException naming {@code backend.authTokenVariable} when the variable is unset or empty
     */
    static AuthHeader fromEnvironment(String variable, String scheme, ServiceEnvironment environment) {
        if (variable == null || variable.isBlank()) {
            return NONE;
        }
        String secret = environment.value(variable).orElseThrow(() -> new IllegalArgumentException(
                "backend.authTokenVariable: the environment variable " + variable + " is unset or empty; set it to the"
                + " upstream's secret, or set authTokenVariable to an empty string to send no Authorization header"));
        return of(scheme, secret.strip());
    }

    /** {@code scheme + " " + secret}, or the secret alone when the scheme is blank. */
    static AuthHeader of(String scheme, String secret) {
        return new AuthHeader(scheme == null || scheme.isBlank() ? secret : scheme.strip() + " " + secret);
    }

    /** The header value to send, if any. */
    Optional<String> value() {
        return Optional.ofNullable(value);
    }

    /** Replaces the header value and the secret in text that came from elsewhere (upstream bodies). */
    String redact(String text) {
        if (value == null || text == null) {
            return text;
        }
        String redacted = text.replace(value, "[redacted]");
        int space = value.indexOf(' ');
        if (space >= 0 && space + 1 < value.length()) {
            redacted = redacted.replace(value.substring(space + 1), "[redacted]");
        }
        return redacted;
    }

    @Override
    public String toString() {
        return value == null ? "AuthHeader[none]" : "AuthHeader[redacted]";
    }
}
