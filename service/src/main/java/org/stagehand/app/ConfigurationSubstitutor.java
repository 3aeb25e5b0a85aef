package org.stagehand.app;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code ${NAME}} and {@code ${NAME:-default}} in the configuration file from the
 * environment (an unset variable without a default fails the start), but leaves
 * {@code ${env:NAME}} as it is: that form is a backend's, filled in by the backend only where
 * it is used (an hsi argument, say), so that the secret it names never sits in the parsed
 * configuration and logs show only the reference.
 */
final class ConfigurationSubstitutor extends EnvironmentVariableSubstitutor {

    /** {@code ${env:}} not already escaped as {@code $${env:}}. */
    private static final Pattern BACKEND_REFERENCE = Pattern.compile("(?<!\\$)\\$\\{env:");

    ConfigurationSubstitutor() {
        super(true);
    }

    @Override
    public String replace(String source) {
        if (source == null) {
            return null;
        }
        // "$${" is the substitutor's escape for a literal "${"
        return super.replace(BACKEND_REFERENCE.matcher(source).replaceAll(Matcher.quoteReplacement("$${env:")));
    }
}
