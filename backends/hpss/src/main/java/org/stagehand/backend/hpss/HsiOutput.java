package org.stagehand.backend.hpss;

import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Reads hsi's merged output line by line: removes glued prompts, and pairs each error message
 * with the indented path hsi prints on the line after it. Not thread-safe: one reader feeds it.
 *
 * <p>An error line that already names a path the caller knows ({@code isKnownPath}: the older
 * one-line form) is delivered at once, so a slow next line cannot delay it; any other error
 * waits for the next line, which is its path when indented.
 */
final class HsiOutput implements Consumer<String> {

    private final Consumer<String> onLine;
    private final Consumer<HsiMessages.HsiError> onError;
    private final Predicate<String> namesKnownPath;
    private String pendingError;

    /**
     * @param onLine every line that is not part of an error, prompt removed
     * @param onError every error, with its path when hsi gave one
     * @param namesKnownPath whether an error line names one of the caller's paths by itself
     */
    HsiOutput(Consumer<String> onLine, Consumer<HsiMessages.HsiError> onError, Predicate<String> namesKnownPath) {
        this.onLine = onLine;
        this.onError = onError;
        this.namesKnownPath = namesKnownPath;
    }

    @Override
    public void accept(String rawLine) {
        String line = HsiMessages.stripPrompt(rawLine);
        if (pendingError != null) {
            String error = pendingError;
            pendingError = null;
            boolean pathLine = !line.isEmpty() && Character.isWhitespace(line.charAt(0)) && !line.isBlank();
            if (pathLine) {
                onError.accept(new HsiMessages.HsiError(error, line.trim()));
                return;
            }
            onError.accept(new HsiMessages.HsiError(error, null));
        }
        String trimmed = line.trim();
        if (HsiMessages.isError(trimmed)) {
            if (namesKnownPath.test(trimmed)) {
                onError.accept(new HsiMessages.HsiError(trimmed, null));
            } else {
                pendingError = trimmed;
            }
            return;
        }
        if (!trimmed.isEmpty()) {
            onLine.accept(line);
        }
    }

    /** The output has ended: delivers an error still waiting for its path line. */
    void end() {
        if (pendingError != null) {
            onError.accept(new HsiMessages.HsiError(pendingError, null));
            pendingError = null;
        }
    }
}
