/**
 * The archive backend SPI: what a plugin implements to bring archived files into Stagehand's
 * staging area.
 *
 * <p>A plugin is a jar on the service's classpath holding an {@link org.stagehand.backend.ArchiveBackendFactory}
 * implementation, annotated with {@code @JsonTypeName("<type>")} and listed in
 * {@code META-INF/services/org.stagehand.backend.ArchiveBackendFactory}. The operator selects it with
 * {@code backend: {type: <type>, ...}} in {@code config.yml}; the remaining keys bind to the
 * factory's Jackson properties and are validated with Jakarta Bean Validation.
 *
 * <p>The service owns the database, the HTTP API and the staging area's namespace. A backend only
 * writes bytes into the temporary file the service names for each {@link org.stagehand.backend.StagingItem}
 * and reports one {@link org.stagehand.backend.StagingOutcome} per item; the service then verifies size
 * and checksum and atomically renames the file into place.
 */
package org.stagehand.backend;
