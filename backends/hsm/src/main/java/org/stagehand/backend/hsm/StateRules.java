package org.stagehand.backend.hsm;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Classifies the state text a state command printed. The patterns are searched for (not matched
 * whole) in the order lost, recalling, offline, online, so a broad online pattern such as
 * {@code .*} can stand for "anything else".
 *
 * @param online text of a file whose data is on disk
 * @param offline text of a file whose data is on tape only
 * @param recalling text of a file being recalled already, if the tool shows that
 * @param lost text of a file whose archive copy is unusable, if the tool shows that
 */
record StateRules(Pattern online, Pattern offline, Optional<Pattern> recalling, Optional<Pattern> lost) {

    HsmFileState classify(String text) {
        if (lost.isPresent() && lost.get().matcher(text).find()) {
            return HsmFileState.LOST;
        }
        if (recalling.isPresent() && recalling.get().matcher(text).find()) {
            return HsmFileState.RECALLING;
        }
        if (offline.matcher(text).find()) {
            return HsmFileState.OFFLINE;
        }
        if (online.matcher(text).find()) {
            return HsmFileState.ONLINE;
        }
        return HsmFileState.UNRECOGNIZED;
    }
}
