package org.stagehand.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.configuration.UndefinedEnvironmentVariableException;
import org.junit.jupiter.api.Test;

/** The configuration file's substitution: ${NAME} from the environment, ${env:NAME} left for the backend. */
class ConfigurationSubstitutorTest {

    private final ConfigurationSubstitutor substitutor = new ConfigurationSubstitutor();

    @Test
    void fillsVariablesAndDefaultsButLeavesBackendReferences() {
        String home = System.getenv("HOME");

        assertThat(substitutor.replace("root: ${HOME}\nport: ${STAGEHAND_TEST_SURELY_UNSET:-8080}\n"
                + "hsiArguments: [-P, \"${env:HPSS_SECRET}\", \"x${env:A}y${env:B}\"]"))
                .isEqualTo("root: " + home + "\nport: 8080\nhsiArguments: [-P, \"${env:HPSS_SECRET}\", \"x${env:A}y${env:B}\"]");
    }

    @Test
    void anUnsetVariableWithoutDefaultStillFailsTheStart() {
        assertThatThrownBy(() -> substitutor.replace("url: ${STAGEHAND_TEST_SURELY_UNSET}"))
                .isInstanceOf(UndefinedEnvironmentVariableException.class)
                .hasMessageContaining("STAGEHAND_TEST_SURELY_UNSET");
    }

    @Test
    void anEscapedReferenceStaysEscapedAsBefore() {
        assertThat(substitutor.replace("literal: $${HOME} and $${env:X}")).isEqualTo("literal: ${HOME} and ${env:X}");
    }
}
