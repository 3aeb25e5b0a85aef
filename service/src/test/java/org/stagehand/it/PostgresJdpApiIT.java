package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stagehand.testing.DtsJdpClient;
import org.stagehand.testing.OverrideProperties;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.TestDatabase;

/** The JDP-compatible door on a real PostgreSQL server, where several instances share the requests. */
class PostgresJdpApiIT extends JdpApiIT {

    @Override
    TestDatabase database(Path directory) {
        return TestDatabase.postgres();
    }

    @Test
    void twoInstancesAnswerTheSameIntegerId() throws Exception {
        Map<String, String> propertiesBefore = OverrideProperties.save();
        StagehandTestApp other = newApp(ConfigOverride.config("work.instanceName", "second")).start();
        try {
            long id = accepted(dts().stage(List.of("shared-1")));

            JsonNode fromOther = pollUntil(other, Long.toString(id), "ready");
            JsonNode fromThis = pollUntil(app, Long.toString(id), "ready");
            assertThat(fromOther.get("staging_request_id")).isEqualTo(fromThis.get("staging_request_id"));
            assertThat(new DtsJdpClient(other.port(), ORCID, SECRET).status(Long.toString(id)).json().get("request_id")
                    .asLong()).isEqualTo(id);
            long fromTheOther = accepted(new DtsJdpClient(other.port(), ORCID, SECRET).stage(List.of("shared-1")));
            assertThat(fromTheOther).isNotEqualTo(id);
            pollUntil(app, Long.toString(fromTheOther), "ready");
        } finally {
            other.stop();
            OverrideProperties.restore(propertiesBefore);
        }
    }
}
