package org.stagehand.backend;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What the service lends a backend when it is built.
 *
 * @param serviceName the service's name, for thread and metric names
 * @param stagingRoot the absolute, real path of the staging area; temporary files handed to the
 *     backend always lie below it
 * @param metrics the service's metric registry; prefix metric names with the backend type
 * @param objectMapper the service's JSON mapper, for backends that speak JSON to an upstream
 * @param mounts told of each tape mount, by backends that mount tapes
 */
public record BackendContext(String serviceName, Path stagingRoot, MetricRegistry metrics, ObjectMapper objectMapper,
                             MountListener mounts) {

    public BackendContext {
        Objects.requireNonNull(mounts, "mounts");
    }

    /** A context whose mounts are recorded nowhere ({@link MountListener#NONE}). */
    public BackendContext(String serviceName, Path stagingRoot, MetricRegistry metrics, ObjectMapper objectMapper) {
        this(serviceName, stagingRoot, metrics, objectMapper, MountListener.NONE);
    }
}
