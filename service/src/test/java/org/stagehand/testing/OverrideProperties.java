package org.stagehand.testing;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@code dw.*} system properties through which a test app applies its config overrides. Each app
 * sets its own when started and, when stopped, puts back what it found; with two apps in one test the
 * second finds the first's, and would leave them behind for the tests that follow. Save before the
 * first starts, restore after both stopped.
 */
public final class OverrideProperties {

    private OverrideProperties() {
    }

    public static Map<String, String> save() {
        Map<String, String> properties = new HashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("dw.")) {
                properties.put(name, System.getProperty(name));
            }
        }
        return properties;
    }

    public static void restore(Map<String, String> saved) {
        save().keySet().forEach(System::clearProperty);
        saved.forEach(System::setProperty);
    }
}
