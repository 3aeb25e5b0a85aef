package org.stagehand.catalog;

import java.util.List;

/**
 * What an import did.
 *
 * @param imported entries inserted or updated
 * @param rejected entries refused, each with where it stands in the file and why
 */
public record CatalogImportReport(int imported, List<Rejection> rejected) {

    public CatalogImportReport {
        rejected = List.copyOf(rejected);
    }

    /**
     * An entry that was not imported.
     *
     * @param location where it stands in the file: {@code line 12} or {@code resources[11]}
     * @param fileId its ID, when it had one
     * @param reason why it was refused
     */
    public record Rejection(String location, String fileId, String reason) {

        @Override
        public String toString() {
            return location + (fileId == null ? "" : " (id '" + fileId + "')") + ": " + reason;
        }
    }

    /** One line for logs and the command's output. */
    public String summary() {
        return "imported " + imported + " catalog entries, rejected " + rejected.size();
    }
}
