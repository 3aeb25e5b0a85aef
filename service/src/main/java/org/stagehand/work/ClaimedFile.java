package org.stagehand.work;

import org.stagehand.catalog.CatalogEntry;

/**
 * A file this instance has claimed.
 *
 * @param entry the catalog's entry for it
 * @param attempt which attempt this claim is (1 first)
 * @param leaseToken the claim's token; every write about the file checks it is still ours
 */
public record ClaimedFile(CatalogEntry entry, int attempt, String leaseToken) {
}
