package org.stagehand.catalog;

import java.io.IOException;

/**
 * A catalog file that cannot be imported at all (not readable, a directory, malformed JSON, a JSON
 * root that is not an object, an empty CSV, no header): nothing of it is imported. The message is
 * one plain line, for the command's output and the admin task's {@code error:} line.
 */
public final class CatalogFileException extends IOException {

    private static final long serialVersionUID = 1L;

    public CatalogFileException(String message) {
        super(message);
    }
}
