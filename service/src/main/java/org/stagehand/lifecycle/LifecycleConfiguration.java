package org.stagehand.lifecycle;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The {@code lifecycle:} section: how long staged copies and request records are kept. */
public class LifecycleConfiguration {

    @NotNull
    private Duration pinLifetime = Duration.days(7);

    @NotNull
    private Duration requestRetention = Duration.days(7);

    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    private Duration cleanupInterval = Duration.minutes(10);

    private DataSize capacity;

    /** How long a copy stays pinned after the last request needing it completed (DTS default retention). */
    @JsonProperty
    public Duration getPinLifetime() {
        return pinLifetime;
    }

    @JsonProperty
    public void setPinLifetime(Duration pinLifetime) {
        this.pinLifetime = pinLifetime;
    }

    /** How long a completed (or cancelled) request's record is kept before its UUID answers 404. */
    @JsonProperty
    public Duration getRequestRetention() {
        return requestRetention;
    }

    @JsonProperty
    public void setRequestRetention(Duration requestRetention) {
        this.requestRetention = requestRetention;
    }

    /** How often expired copies are evicted and old requests purged. */
    @JsonProperty
    public Duration getCleanupInterval() {
        return cleanupInterval;
    }

    @JsonProperty
    public void setCleanupInterval(Duration cleanupInterval) {
        this.cleanupInterval = cleanupInterval;
    }

    /**
     * The most bytes of staged copies (and copies under way) the staging area may hold; none: no
     * limit. When staging more would pass it, unpinned copies are evicted, least recently requested
     * first; if that is not enough, work waits.
     */
    @JsonProperty
    public Optional<DataSize> getCapacity() {
        return Optional.ofNullable(capacity);
    }

    @JsonProperty
    public void setCapacity(DataSize capacity) {
        this.capacity = capacity;
    }
}
