package org.stagehand.backend.hsm;

import java.util.Map;
import org.stagehand.backend.LocatesOnTape.TapePlace;

/**
 * Reads where on tape each file lies from a state command's standard output, for a preset whose
 * state tool prints the volume (SAM-QFS's {@code sls -D}). Presets whose tools do not print it
 * have none, and their backend does not locate files.
 */
interface TapePlaceParser {

    /**
     * @param output the state command's standard output
     * @return the place of the copy the HSM would recall each file from, keyed by the path as
     *     printed; a file with no copy the parser can place is left out
     */
    Map<String, TapePlace> places(String output);
}
