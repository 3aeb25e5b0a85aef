package org.stagehand.http;

import java.util.List;

/** A client error with its JSON answer; thrown by services, answered by {@link ApiExceptionMapper}. */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ApiError error;

    public ApiException(int status, String message) {
        this(new ApiError(status, message));
    }

    public ApiException(ApiError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public ApiError error() {
        return error;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    public static ApiException notFound(String message, List<String> unknownIds) {
        return new ApiException(new ApiError(404, message, unknownIds));
    }

    public static ApiException tooLarge(String message) {
        return new ApiException(413, message);
    }
}
