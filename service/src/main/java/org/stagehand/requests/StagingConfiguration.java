package org.stagehand.requests;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.Optional;

/** The {@code staging:} section: the staging area and the limits of the DTS-facing API. */
public class StagingConfiguration {

    @NotEmpty
    private String root;

    private boolean createRoot = false;

    @Min(1)
    private int maxFilesPerRequest = 10_000;

    @Min(1)
    @Max(255)
    private int maxIdLength = 255;

    @NotNull
    private DataSize maxRequestBody = DataSize.mebibytes(4);

    private String idPrefix;

    @NotNull
    private DataSize minFreeSpace = DataSize.gibibytes(1);

    @Min(0)
    private int statusCacheEntries = 100_000;

    @NotNull
    private Duration statusCacheMaxAge = Duration.minutes(10);

    @Min(0)
    private int statusCacheFiles = 1_000_000;

    @Min(0)
    private int lastKnownStatusEntries = 100_000;

    @Min(0)
    private int lastKnownStatusFiles = 1_000_000;

    @JsonProperty
    public String getRoot() {
        return root;
    }

    @JsonProperty
    public void setRoot(String root) {
        this.root = root;
    }

    /** Whether a missing staging root is created at start-up (the embedded default does). */
    @JsonProperty
    public boolean isCreateRoot() {
        return createRoot;
    }

    @JsonProperty
    public void setCreateRoot(boolean createRoot) {
        this.createRoot = createRoot;
    }

    @JsonProperty
    public int getMaxFilesPerRequest() {
        return maxFilesPerRequest;
    }

    @JsonProperty
    public void setMaxFilesPerRequest(int maxFilesPerRequest) {
        this.maxFilesPerRequest = maxFilesPerRequest;
    }

    @JsonProperty
    public int getMaxIdLength() {
        return maxIdLength;
    }

    @JsonProperty
    public void setMaxIdLength(int maxIdLength) {
        this.maxIdLength = maxIdLength;
    }

    @JsonProperty
    public DataSize getMaxRequestBody() {
        return maxRequestBody;
    }

    @JsonProperty
    public void setMaxRequestBody(DataSize maxRequestBody) {
        this.maxRequestBody = maxRequestBody;
    }

    /** Below this much free space on the staging file system, the health check fails. */
    @JsonProperty
    public DataSize getMinFreeSpace() {
        return minFreeSpace;
    }

    @JsonProperty
    public void setMinFreeSpace(DataSize minFreeSpace) {
        this.minFreeSpace = minFreeSpace;
    }

    /** A prefix such as {@code JDP:} that the DTS may put before IDs; stripped when present. */
    @JsonProperty
    public Optional<String> getIdPrefix() {
        return Optional.ofNullable(idPrefix).filter(prefix -> !prefix.isEmpty());
    }

    @JsonProperty
    public void setIdPrefix(String idPrefix) {
        this.idPrefix = idPrefix;
    }

    /**
     * How many DTS status answers each instance keeps in memory (PostgreSQL only, where the database
     * notifies every instance of changes); 0 reads every status from the database. Answers that
     * list every file of a request (the Tape REST door's) are bounded by {@link #getStatusCacheFiles}.
     */
    @JsonProperty
    public int getStatusCacheEntries() {
        return statusCacheEntries;
    }

    @JsonProperty
    public void setStatusCacheEntries(int statusCacheEntries) {
        this.statusCacheEntries = statusCacheEntries;
    }

    /**
     * How many files the kept answers that list a request's files (the Tape REST door's per-path
     * answers) may list together, in each instance: 110 bytes of heap each with 30-character paths,
     * more with longer ones, so the default holds 1,000 answers of 1,000 files in 110 to 200 MB; 0
     * keeps none.
     */
    @JsonProperty
    public int getStatusCacheFiles() {
        return statusCacheFiles;
    }

    @JsonProperty
    public void setStatusCacheFiles(int statusCacheFiles) {
        this.statusCacheFiles = statusCacheFiles;
    }

    /**
     * The longest a status answer (of either kind) is kept, a bound that holds even if a notification
     * were lost.
     */
    @JsonProperty
    public Duration getStatusCacheMaxAge() {
        return statusCacheMaxAge;
    }

    @JsonProperty
    public void setStatusCacheMaxAge(Duration statusCacheMaxAge) {
        this.statusCacheMaxAge = statusCacheMaxAge;
    }

    /**
     * How many last-known DTS status answers each instance keeps to answer polls while the database
     * cannot be reached (requests created or answered here, and on PostgreSQL every request whose
     * change the database notified); 0 keeps none, and a poll then answers 503 during an outage.
     * Answers that list every file of a request are bounded by {@link #getLastKnownStatusFiles}.
     */
    @JsonProperty
    public int getLastKnownStatusEntries() {
        return lastKnownStatusEntries;
    }

    @JsonProperty
    public void setLastKnownStatusEntries(int lastKnownStatusEntries) {
        this.lastKnownStatusEntries = lastKnownStatusEntries;
    }

    /**
     * How many files the last-known answers that list a request's files (the Tape REST door's) may
     * list together, in each instance, to answer polls while the database cannot be reached: about
     * 110 bytes of heap or more each; the least used go first; 0 keeps none.
     */
    @JsonProperty
    public int getLastKnownStatusFiles() {
        return lastKnownStatusFiles;
    }

    @JsonProperty
    public void setLastKnownStatusFiles(int lastKnownStatusFiles) {
        this.lastKnownStatusFiles = lastKnownStatusFiles;
    }
}
