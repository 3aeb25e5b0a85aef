package org.stagehand.backend.jdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.BaseValidator;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.backend.ArchiveBackendFactory;
import org.stagehand.backend.BackendContext;

/** The {@code jdp} type is discovered, parses from YAML and JSON, and rejects bad keys by name. */
class JdpBackendFactoryTest {

    private final ObjectMapper yaml = Jackson.newObjectMapper(new YAMLFactory());
    private final Validator validator = BaseValidator.newValidator();

    @TempDir
    Path stagingRoot;

    @Test
    void yamlBackendSectionParsesIntoTheJdpFactory() throws Exception {
        ArchiveBackendFactory parsed = yaml.readValue("""
                type: jdp
                baseUrl: https://files.jgi.doe.gov/
                authTokenVariable: STAGEHAND_JDP_TOKEN
                pollInterval: 5 minutes
                maxIdsPerRestore: 500
                concurrentDownloads: 8
                maxRestoreWait: 36 hours
                client:
                  timeout: 2 minutes
                """, ArchiveBackendFactory.class);

        assertThat(parsed).isInstanceOf(JdpBackendFactory.class);
        JdpBackendFactory factory = (JdpBackendFactory) parsed;
        assertThat(factory.getBaseUrl()).isEqualTo(URI.create("https://files.jgi.doe.gov/"));
        assertThat(factory.getAuthTokenVariable()).isEqualTo("STAGEHAND_JDP_TOKEN");
        assertThat(factory.getPollInterval()).isEqualTo(Duration.minutes(5));
        assertThat(factory.getMaxIdsPerRestore()).isEqualTo(500);
        assertThat(factory.getConcurrentDownloads()).isEqualTo(8);
        assertThat(factory.getMaxRestoreWait()).isEqualTo(Duration.hours(36));
        assertThat(factory.getClient().getTimeout()).isEqualTo(Duration.minutes(2));
        // A partial client section keeps the backend's other client defaults.
        assertThat(factory.getClient().getConnectionTimeout()).isEqualTo(Duration.seconds(10));
        assertThat(factory.getClient().isGzipEnabled()).isFalse();
        assertThat(factory.getClient().getKeepAlive()).isEqualTo(Duration.seconds(30));
        assertThat(validator.validate(factory)).isEmpty();
    }

    @Test
    void omittedKeysTakeTheJdpDefaults() throws Exception {
        JdpBackendFactory factory = (JdpBackendFactory) Jackson.newObjectMapper().readValue(
                "{\"type\": \"jdp\", \"baseUrl\": \"https://files.jgi.doe.gov/\"}", ArchiveBackendFactory.class);

        assertThat(factory.getRestorePath()).isEqualTo("request_archived_files/");
        assertThat(factory.getStatusPath()).isEqualTo("request_archived_files/requests/{id}");
        assertThat(factory.getDownloadPath()).isEqualTo("download_files/{id}/");
        assertThat(factory.getAuthTokenVariable()).isEqualTo("JDP_TOKEN");
        assertThat(factory.getAuthScheme()).isEqualTo("Token");
        assertThat(factory.getMaxIdsPerRestore()).isEqualTo(750);
        assertThat(validator.validate(factory)).isEmpty();
    }

    @Test
    void validationNamesAMissingBaseUrlAndAZeroMaxIdsPerRestore() throws Exception {
        JdpBackendFactory factory = (JdpBackendFactory) yaml.readValue("""
                type: jdp
                maxIdsPerRestore: 0
                """, ArchiveBackendFactory.class);

        Set<ConstraintViolation<JdpBackendFactory>> violations = validator.validate(factory);

        assertThat(violations).extracting(violation -> violation.getPropertyPath().toString())
                .containsExactlyInAnyOrder("baseUrl", "maxIdsPerRestore");
    }

    @Test
    void theNewKeysParseFromYamlAndDefaultToWhatTheDtsDoes() throws Exception {
        JdpBackendFactory defaults = (JdpBackendFactory) yaml.readValue("""
                type: jdp
                baseUrl: https://files.jgi.doe.gov/
                """, ArchiveBackendFactory.class);
        JdpBackendFactory set = (JdpBackendFactory) yaml.readValue("""
                type: jdp
                baseUrl: https://files.jgi.doe.gov/
                restoreFields: {send_email: true, api_version: "2"}
                redirectHosts: [data.jgi.doe.gov, "mirror.example.org:8443"]
                sendCredentialWithStatus: true
                sendCredentialWithHealthCheck: true
                unknownStatusGrace: 30 seconds
                """, ArchiveBackendFactory.class);

        assertThat(defaults.getRestoreFields()).containsExactly(Map.entry("send_email", false),
                Map.entry("api_version", "2"), Map.entry("include_private_data", 1));
        assertThat(defaults.getRedirectHosts()).isEmpty();
        assertThat(defaults.isSendCredentialWithStatus()).isFalse();
        assertThat(defaults.isSendCredentialWithHealthCheck()).isFalse();
        assertThat(defaults.getUnknownStatusGrace()).isEqualTo(Duration.minutes(5));
        assertThat(set.getRestoreFields()).containsExactly(Map.entry("send_email", true), Map.entry("api_version", "2"));
        assertThat(set.getRedirectHosts()).containsExactly("data.jgi.doe.gov", "mirror.example.org:8443");
        assertThat(set.isSendCredentialWithStatus()).isTrue();
        assertThat(set.isSendCredentialWithHealthCheck()).isTrue();
        assertThat(set.getUnknownStatusGrace()).isEqualTo(Duration.seconds(30));
        assertThat(validator.validate(set)).isEmpty();
    }

    @Test
    void buildRejectsRestoreFieldsThatSetTheIds() {
        JdpBackendFactory factory = new JdpBackendFactory();
        factory.setBaseUrl(URI.create("http://127.0.0.1:1/"));
        factory.setAuthTokenVariable("");
        factory.setRestoreFields(Map.of("ids", java.util.List.of("x")));

        assertThatThrownBy(() -> factory.build(context(), Map.<String, String>of()::get))
                .hasMessageContaining("backend.restoreFields");
    }

    @Test
    void buildRejectsATemplateWithoutTheIdPlaceholderNamingTheKey() {
        JdpBackendFactory factory = new JdpBackendFactory();
        factory.setBaseUrl(URI.create("http://127.0.0.1:1/"));
        factory.setAuthTokenVariable("");
        factory.setDownloadPath("download_files/");

        assertThatThrownBy(() -> factory.build(context(), Map.<String, String>of()::get))
                .hasMessageContaining("backend.downloadPath");
    }

    @Test
    void buildRejectsABaseUrlThatIsNotHttpNamingTheKey() {
        JdpBackendFactory factory = new JdpBackendFactory();
        factory.setBaseUrl(URI.create("ftp://archive.example.org/"));
        factory.setAuthTokenVariable("");

        assertThatThrownBy(() -> factory.build(context(), Map.<String, String>of()::get))
                .hasMessageContaining("backend.baseUrl");
    }

    @Test
    void endpointsKeepTheRestoreSlashAndTheBasePath() {
        JdpEndpoints endpoints = new JdpEndpoints(URI.create("https://files.example.org/api"),
                "request_archived_files/", "request_archived_files/requests/{id}", "download_files/{id}/");

        assertThat(endpoints.restore()).hasToString("https://files.example.org/api/request_archived_files/");
        assertThat(endpoints.status("42")).hasToString("https://files.example.org/api/request_archived_files/requests/42");
        assertThat(endpoints.download("a b/c")).hasToString("https://files.example.org/api/download_files/a%20b%2Fc/");
    }

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        java.time.Clock clock = java.time.Clock.fixed(java.time.Instant.parse("2025-01-01T00:00:00Z"),
                java.time.ZoneOffset.UTC);

        assertThat(UpstreamErrors.retryAfter("120", clock)).contains(java.time.Duration.ofSeconds(120));
        assertThat(UpstreamErrors.retryAfter("Wed, 01 Jan 2025 00:01:30 GMT", clock))
                .contains(java.time.Duration.ofSeconds(90));
        assertThat(UpstreamErrors.retryAfter("soon", clock)).isEmpty();
    }

    private BackendContext context() {
        return new BackendContext("test", stagingRoot, new MetricRegistry(), Jackson.newObjectMapper());
    }
}
