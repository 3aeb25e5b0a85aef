package org.stagehand.backend.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceEnvironmentTest {

    private final ServiceEnvironment environment = ServiceEnvironment.of(Map.of("SECRET", "s3cret$1", "EMPTY", " "));

    @Test
    void referencesAreFilledInAndTheRestKeptAsWritten() {
        assertThat(environment.expand("-P ${env:SECRET} ${env} $HOME", "backend.hsiArguments"))
                .isEqualTo("-P s3cret$1 ${env} $HOME");
    }

    @Test
    void unsetReferenceNamesTheKeyAndTheVariable() {
        assertThatThrownBy(() -> environment.expand("${env:MISSING}", "backend.environment.KRB5CCNAME"))
                .hasMessage("backend.environment.KRB5CCNAME: environment variable MISSING is not set");
    }

    @Test
    void blankOrUnsetValueIsNoValue() {
        assertThat(environment.value("SECRET")).contains("s3cret$1");
        assertThat(environment.value("EMPTY")).isEmpty();
        assertThat(environment.value("MISSING")).isEmpty();
        assertThat(environment.path()).isEmpty();
    }
}
