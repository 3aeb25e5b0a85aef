package org.stagehand.db;

/**
 * Text that every database can store and compare as it was sent. PostgreSQL refuses a NUL
 * character inside a statement's parameters, failing the whole transaction (which may hold other
 * clients' requests), and a lone UTF-16 surrogate has no UTF-8 form, so the driver would send
 * something else than what the client wrote. Such text is refused before it reaches the database.
 * (Invalid or overlong UTF-8 never gets this far: the JSON parser and Jetty's URI decoding refuse
 * or replace it.)
 */
public final class StorableText {

    private StorableText() {
    }

    /** Why {@code text} cannot be stored as it is, or null when it can. */
    public static String problemWith(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return "contains a NUL character";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // a valid pair
            } else if (Character.isSurrogate(c)) {
                return "is not valid Unicode (a lone surrogate at character " + i + ")";
            }
        }
        return null;
    }
}
