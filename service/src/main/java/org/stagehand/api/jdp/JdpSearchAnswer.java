package org.stagehand.api.jdp;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The answer to {@code POST /search/by_file_ids/}: one organism holding the files found. Every key
 * present has the JSON type the DTS's Go structs declare (a wrong type fails its whole batch).
 *
 * @param organisms one, holding every file found; none when no file was found
 */
public record JdpSearchAnswer(List<Organism> organisms) {

    /**
     * A JDP organism; here, the archive.
     *
     * @param title the DTS's credit title
     */
    public record Organism(String id, String name, String title, List<File> files) {
    }

    /**
     * A file as the DTS's descriptors need it.
     *
     * @param id the catalog ID, without {@code JDP:}
     * @param fileName the last segment of the catalog path
     * @param filePath the configured prefix and the directory of the catalog path (the prefix alone,
     *     with its slash, for a top-level file)
     * @param fileSize bytes, when the catalog knows them (a JSON number; absent otherwise)
     * @param md5sum 32 lower-case hex digits, or empty when the catalog has no MD5
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record File(@JsonProperty("_id") String id,
                       @JsonProperty("file_name") String fileName,
                       @JsonProperty("file_path") String filePath,
                       @JsonProperty("file_size") Long fileSize,
                       @JsonProperty("md5sum") String md5sum) {
    }
}
