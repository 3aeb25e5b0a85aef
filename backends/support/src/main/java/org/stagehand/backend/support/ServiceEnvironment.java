package org.stagehand.backend.support;

import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service's process environment, where backends read secrets and {@code PATH}: secrets never
 * sit in the configuration file, which names the variable instead. Tests pass their own.
 */
public final class ServiceEnvironment {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private final UnaryOperator<String> lookup;

    private ServiceEnvironment(UnaryOperator<String> lookup) {
        this.lookup = lookup;
    }

    /** The environment the service was started with. */
    public static ServiceEnvironment system() {
        return new ServiceEnvironment(System::getenv);
    }

    public static ServiceEnvironment of(Map<String, String> variables) {
        Map<String, String> copy = Map.copyOf(variables);
        return new ServiceEnvironment(copy::get);
    }

    public static ServiceEnvironment of(UnaryOperator<String> lookup) {
        return new ServiceEnvironment(lookup);
    }

    /** The variable's value when it is set and not blank. */
    public Optional<String> value(String name) {
        String value = lookup.apply(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** The {@code PATH} that bare program names are looked up on (empty when unset). */
    public String path() {
        return value("PATH").orElse("");
    }

    /**
     * Fills in each {@code ${env:NAME}} of a configured value.
     *
     * @param key the configuration key the value comes from, for the message
     * @throws IllegalArgumentException naming the key when a referenced variable is unset
     */
    public String expand(String template, String key) {
        Matcher matcher = REFERENCE.matcher(template);
        StringBuilder expanded = new StringBuilder();
        while (matcher.find()) {
            String value = lookup.apply(matcher.group(1));
            if (value == null) {
                throw new IllegalArgumentException(key + ": environment variable " + matcher.group(1) + " is not set");
            }
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(expanded);
        return expanded.toString();
    }
}
