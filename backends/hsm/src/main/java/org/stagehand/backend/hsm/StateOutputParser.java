package org.stagehand.backend.hsm;

import java.util.Map;

/** Reads a state command's standard output into path → state text. */
interface StateOutputParser {

    /**
     * @param output the command's standard output
     * @return the state text of each file the output names, keyed by the path as printed
     */
    Map<String, String> parse(String output);
}
