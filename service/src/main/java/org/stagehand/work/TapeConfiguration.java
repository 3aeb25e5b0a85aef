package org.stagehand.work;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/**
 * The {@code work.tape:} section: how the queue is planned by tape volume when the backend can say
 * where files lie ({@link org.stagehand.backend.LocatesOnTape}); ignored for other backends. The
 * defaults suit LTO drives (a mount and unmount of 1 to 3 minutes, 300 to 400 MB/s).
 */
public class TapeConfiguration {

    /** How the queue is handed to a backend that can say where files lie. */
    public enum Scheduling {
        /** By volume: every due file of a volume in one batch, volumes chosen by the mount policy. */
        VOLUMES,
        /** As for any backend: batches of {@code work.maxBatchSize} in queue order, one per free worker. */
        BATCHES
    }

    @NotNull
    private Scheduling scheduling = Scheduling.VOLUMES;

    @NotNull
    private DataSize dueBytes = DataSize.gigabytes(50);

    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS, inclusive = true)
    private Duration dueAge = Duration.minutes(2);

    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS, inclusive = true)
    private Duration maxWait = Duration.minutes(30);

    @Min(1)
    @Max(1_000_000)
    private int maxFilesPerMount = 50_000;

    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS, inclusive = true)
    private Duration locateWait = Duration.seconds(10);

    /**
     * {@code VOLUMES} (the default) plans the queue by volume; {@code BATCHES} hands the backend
     * batches of {@code work.maxBatchSize} files in queue order, one per free worker, as for a
     * backend that cannot say where files lie (how Stagehand worked before volume planning).
     */
    @JsonProperty
    public Scheduling getScheduling() {
        return scheduling;
    }

    @JsonProperty
    public void setScheduling(Scheduling scheduling) {
        this.scheduling = scheduling;
    }

    /**
     * A volume becomes due for a mount once its due files add up to this many bytes (default
     * {@code 50GB}: about two and a half minutes of reading at LTO speed, as long as a mount,
     * unmount and average locate take).
     */
    @JsonProperty
    public DataSize getDueBytes() {
        return dueBytes;
    }

    @JsonProperty
    public void setDueBytes(DataSize dueBytes) {
        this.dueBytes = dueBytes;
    }

    /**
     * A volume also becomes due once its longest-waiting file has been due this long, however few
     * bytes it has (default {@code 2 minutes}): the files that come meanwhile share its mount.
     */
    @JsonProperty
    public Duration getDueAge() {
        return dueAge;
    }

    @JsonProperty
    public void setDueAge(Duration dueAge) {
        this.dueAge = dueAge;
    }

    /**
     * The starvation bound: a volume whose longest-waiting file has been due this long is mounted
     * before every other due volume, whatever their bytes (default {@code 30 minutes}). At least
     * {@code dueAge}.
     */
    @JsonProperty
    public Duration getMaxWait() {
        return maxWait;
    }

    @JsonProperty
    public void setMaxWait(Duration maxWait) {
        this.maxWait = maxWait;
    }

    /**
     * The most files handed to the backend in one volume batch (default {@code 50000}): bounds the
     * memory one mount takes; the rest of the volume goes in its next pass.
     */
    @JsonProperty
    public int getMaxFilesPerMount() {
        return maxFilesPerMount;
    }

    @JsonProperty
    public void setMaxFilesPerMount(int maxFilesPerMount) {
        this.maxFilesPerMount = maxFilesPerMount;
    }

    /**
     * How long the claim of a volume waits for the backend to say where newly queued files lie
     * (default {@code 10 seconds}), so that files queued together share one pass. Counted from when
     * locating began: a listing that takes longer (HPSS waits for a free session) no longer holds
     * up the claims, and its files join a later pass.
     */
    @JsonProperty
    public Duration getLocateWait() {
        return locateWait;
    }

    @JsonProperty
    public void setLocateWait(Duration locateWait) {
        this.locateWait = locateWait;
    }

    @JsonIgnore
    @ValidationMethod(message = "work.tape.maxWait must be at least work.tape.dueAge")
    public boolean isMaxWaitAtLeastDueAge() {
        return maxWait == null || dueAge == null || maxWait.toNanoseconds() >= dueAge.toNanoseconds();
    }
}
