package org.stagehand.work;

/**
 * A claim left behind by a stopped or dead instance.
 *
 * @param fileId the claimed file
 * @param stagingPath its path in the staging area, where its temporary file may lie
 * @param leaseToken the claim's token, part of the temporary file's name
 */
public record ExpiredLease(String fileId, String stagingPath, String leaseToken) {
}
