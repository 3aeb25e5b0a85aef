package org.stagehand.backend.hsm;

/**
 * One file's state as the HSM's state command reported it.
 *
 * @param state the classified state
 * @param text the state as the tool printed it, for messages
 */
record StateReading(HsmFileState state, String text) {
}
