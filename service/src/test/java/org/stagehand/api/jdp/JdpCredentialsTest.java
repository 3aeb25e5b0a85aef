package org.stagehand.api.jdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stagehand.http.ApiException;

class JdpCredentialsTest {

    private final JdpApiConfiguration config = new JdpApiConfiguration();
    private final JdpCredentials credentials = JdpCredentials.from(config,
            Map.of("STAGEHAND_JDP_SECRETS", "first, with_under_scores"));

    @Test
    void theOrcidIsWhatComesBeforeTheFirstUnderscoreAndTheSecretMayHoldMore() {
        assertThat(credentials.orcidOf("Token 0000-0002-1825-0097_first")).isEqualTo("0000-0002-1825-0097");
        assertThat(credentials.orcidOf("Token 0000-0002-1825-0097_with_under_scores")).isEqualTo("0000-0002-1825-0097");
    }

    @Test
    void aSecretNotAcceptedOrAMalformedCredentialIsA401ThatNeverEchoesIt() {
        for (String header : new String[] {null, "", "Token", "Token first", "Token _first", "Token 0000-0002_",
                "Token 0000-0002_firs", "Token 0000-0002_first2", "Bearer 0000-0002_first", "Token 00 00_first",
                "Token 0000\n0002_first"}) {
            assertThatThrownBy(() -> credentials.orcidOf(header)).as(String.valueOf(header))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.error().code()).isEqualTo(401);
                        assertThat(e.getMessage()).doesNotContain("first");
                    });
        }
    }

    @Test
    void theDoorDoesNotStartWithoutASecret() {
        assertThatThrownBy(() -> JdpCredentials.from(config, Map.of("STAGEHAND_JDP_SECRETS", " , ")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("STAGEHAND_JDP_SECRETS");
        assertThatThrownBy(() -> JdpCredentials.from(config, Map.of())).isInstanceOf(IllegalStateException.class);
    }
}
