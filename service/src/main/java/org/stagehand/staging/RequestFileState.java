package org.stagehand.staging;

import java.util.Locale;

/** A file's state for one request ({@code request_file.state}). */
public enum RequestFileState {
    /** Not in place yet. */
    WAITING("staging"),
    /** Verified in place. */
    READY("ready"),
    /** Failed for good, for this request. */
    FAILED("failed"),
    /** The request was cancelled before the file was in place. */
    CANCELLED("cancelled");

    private final String apiName;

    RequestFileState(String apiName) {
        this.apiName = apiName;
    }

    /** The name clients see. */
    public String apiName() {
        return apiName;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
