package org.stagehand.work;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/** The {@code work:} section: how staging work is claimed, run and retried. */
public class WorkConfiguration {

    @Min(1)
    @Max(1024)
    private int workers = 4;

    @Min(1)
    @Max(10_000)
    private int maxBatchSize = 256;

    @Min(1)
    private int maxAttempts = 5;

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    private Duration initialBackoff = Duration.seconds(5);

    @NotNull
    private Duration maxBackoff = Duration.minutes(10);

    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    private Duration leaseDuration = Duration.minutes(2);

    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    private Duration pollInterval = Duration.seconds(1);

    @Min(1)
    @Max(1024)
    private int flushThreads = 32;

    private String instanceName;

    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    private Duration lockTimeout = Duration.seconds(10);

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration statementTimeout = Duration.minutes(1);

    @NotNull
    @MinDuration(value = 200, unit = TimeUnit.MILLISECONDS)
    private Duration transactionIdleTimeout = Duration.minutes(1);

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.HOURS)
    private Duration epochRetention = Duration.days(7);

    @Valid
    @NotNull
    private TapeConfiguration tape = new TapeConfiguration();

    /** How the queue is planned by tape volume, for a backend that can say where files lie. */
    @JsonProperty
    public TapeConfiguration getTape() {
        return tape;
    }

    @JsonProperty
    public void setTape(TapeConfiguration tape) {
        this.tape = tape;
    }

    /** How many batches run at the same time. */
    @JsonProperty
    public int getWorkers() {
        return workers;
    }

    @JsonProperty
    public void setWorkers(int workers) {
        this.workers = workers;
    }

    /**
     * How many staged files are flushed to disk at the same time when they are moved into place.
     * The file system commits concurrent flushes together, so many small files go much faster with
     * many threads; the threads exist only while there is work.
     */
    @JsonProperty
    public int getFlushThreads() {
        return flushThreads;
    }

    @JsonProperty
    public void setFlushThreads(int flushThreads) {
        this.flushThreads = flushThreads;
    }

    /** The most files handed to the backend in one batch. */
    @JsonProperty
    public int getMaxBatchSize() {
        return maxBatchSize;
    }

    @JsonProperty
    public void setMaxBatchSize(int maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
    }

    /** Attempts per file before a transient failure becomes permanent. */
    @JsonProperty
    public int getMaxAttempts() {
        return maxAttempts;
    }

    @JsonProperty
    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    @JsonProperty
    public Duration getInitialBackoff() {
        return initialBackoff;
    }

    @JsonProperty
    public void setInitialBackoff(Duration initialBackoff) {
        this.initialBackoff = initialBackoff;
    }

    @JsonProperty
    public Duration getMaxBackoff() {
        return maxBackoff;
    }

    @JsonProperty
    public void setMaxBackoff(Duration maxBackoff) {
        this.maxBackoff = maxBackoff;
    }

    /** How long a claim on a file lasts without renewal; a dead instance's claims expire after it. */
    @JsonProperty
    public Duration getLeaseDuration() {
        return leaseDuration;
    }

    @JsonProperty
    public void setLeaseDuration(Duration leaseDuration) {
        this.leaseDuration = leaseDuration;
    }

    /** How often the database is asked for work when nothing signals new work. */
    @JsonProperty
    public Duration getPollInterval() {
        return pollInterval;
    }

    @JsonProperty
    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    /**
     * This instance's name in leases; unique among live instances, stable across restarts so that a
     * restarted instance takes its own unfinished claims back at once. Defaults to the host name.
     */
    @JsonProperty
    public String getInstanceName() {
        return instanceName;
    }

    @JsonProperty
    public void setInstanceName(String instanceName) {
        this.instanceName = instanceName;
    }

    /**
     * PostgreSQL: the longest any statement of the service waits for a row lock before it fails
     * (and is retried later); a frozen peer holding locks holds nothing up for longer.
     */
    @JsonProperty
    public Duration getLockTimeout() {
        return lockTimeout;
    }

    @JsonProperty
    public void setLockTimeout(Duration lockTimeout) {
        this.lockTimeout = lockTimeout;
    }

    /**
     * PostgreSQL: the longest any statement of the service may run; the driver gives up reading an
     * answer 30 s after it, which bounds how long a network partition can hold a thread.
     */
    @JsonProperty
    public Duration getStatementTimeout() {
        return statementTimeout;
    }

    @JsonProperty
    public void setStatementTimeout(Duration statementTimeout) {
        this.statementTimeout = statementTimeout;
    }

    /**
     * PostgreSQL: the server ends a session of the service that sits this long inside a
     * transaction without a statement (its instance is frozen or cut off), releasing its row locks
     * so that its expired claims can be taken over. A claim is therefore taken over at most
     * {@code leaseDuration} plus this (plus a housekeeping round) after its instance froze. Files
     * are moved into place only in the first half of this time after their claims were checked.
     */
    @JsonProperty
    public Duration getTransactionIdleTimeout() {
        return transactionIdleTimeout;
    }

    @JsonProperty
    public void setTransactionIdleTimeout(Duration transactionIdleTimeout) {
        this.transactionIdleTimeout = transactionIdleTimeout;
    }

    /**
     * How long the record of a run ({@code instance_epoch}) is kept after the run ended; each start
     * forgets older ones. A forgotten run still counts as over for the start-up sweep, which tells
     * by the name of its epoch when it began. The bound only has to exceed the clocks' disagreement
     * between instances.
     */
    @JsonProperty
    public Duration getEpochRetention() {
        return epochRetention;
    }

    @JsonProperty
    public void setEpochRetention(Duration epochRetention) {
        this.epochRetention = epochRetention;
    }
}
