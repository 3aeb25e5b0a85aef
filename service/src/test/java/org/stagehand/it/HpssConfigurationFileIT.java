package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.testing.StagehandTestApp;

/**
 * The HPSS backend configured the way an operator does it: everything in a YAML file (no
 * overrides, no setters), the secret named as {@code ${env:NAME}} in {@code hsiArguments} and in
 * {@code environment}. A class of its own because another app's overrides would apply to this
 * one while it runs (Dropwizard passes them as system properties).
 */
class HpssConfigurationFileIT {

    /** Set by the failsafe configuration in service/pom.xml. */
    private static final String SECRET_VARIABLE = "STAGEHAND_IT_HPSS_SECRET";

    @Test
    void envReferencesInHsiArgumentsAndEnvironmentReachHsiAndNoLog(@TempDir Path directory) throws Exception {
        String secret = System.getenv(SECRET_VARIABLE);
        assertThat(secret).as(SECRET_VARIABLE + ", set by the failsafe configuration").isNotBlank();
        HpssStagingIT.StandInHpss yamlHpss = new HpssStagingIT.StandInHpss(directory.resolve("hpss-yaml"));
        yamlHpss.onTape("yaml-1", "yaml/f1.bin", 700, "YA0001", 1, 0).onDisk("yaml-2", "yaml/f2.bin", 800);
        Path yamlStaging = directory.resolve("staging-yaml");
        Path serviceLog = directory.resolve("yaml-service.log");
        Path config = Files.writeString(directory.resolve("hpss-env.yml"), """
                server:
                  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
                  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
                database:
                  driverClass: org.h2.Driver
                  url: "jdbc:h2:file:%s;MODE=PostgreSQL"
                  user: sa
                autoMigrate: true
                staging:
                  root: %s
                  createRoot: true
                catalog:
                  importAtStartup: %s
                work:
                  maxAttempts: 2
                  initialBackoff: 50ms
                  pollInterval: 100ms
                  tape:
                    dueAge: 200 milliseconds
                auth:
                  tokensEnvironmentVariable: STAGEHAND_TEST_TOKENS_UNSET
                backend:
                  type: hpss
                  hsiPath: %s
                  hsiArguments: [-A, combo, -l, stagehand, -P, "${env:%s}"]
                  archiveRoot: %s
                  batchWindow: 100 milliseconds
                  progressPollInterval: 20 milliseconds
                  commandDirectory: %s
                  environment:
                    HSI_STANDIN_ROOT: %s
                    HSI_STANDIN_TAPES: %s
                    HSI_STANDIN_LOG: %s
                    HSI_STANDIN_CONTROL: %s
                    HSI_STANDIN_PASSWORD: "${env:%s}"
                logging:
                  level: INFO
                  loggers:
                    org.stagehand: DEBUG
                  appenders:
                    - type: file
                      currentLogFilename: %s
                      archive: false
                """.formatted(directory.resolve("db-yaml").resolve("stagehand").toAbsolutePath(), yamlStaging,
                yamlHpss.archive.writeCatalog(yamlHpss.base.resolve("catalog.json")), HpssStagingIT.standIn(), SECRET_VARIABLE,
                HpssStagingIT.ARCHIVE_ROOT, yamlHpss.commands, yamlHpss.namespace, yamlHpss.tapes, yamlHpss.log, yamlHpss.control,
                SECRET_VARIABLE, serviceLog));

        StagehandTestApp yamlApp = new StagehandTestApp(config, List.of()).start();
        try {
            yamlApp.awaitStatus(HpssStagingIT.requestId(yamlApp.requestStaging("yaml-1", "yaml-2")), "ready", Duration.ofSeconds(20));
        } finally {
            yamlApp.stop();
        }

        for (String path : List.of("yaml/f1.bin", "yaml/f2.bin")) {
            assertThat(yamlStaging.resolve(path)).as(path).hasBinaryContent(yamlHpss.archive.bytes(path));
        }
        assertThat(yamlHpss.events("START")).as("hsi calls").isNotEmpty()
                // a listing names its command after the options; a recall session reads its commands on stdin
                .allSatisfy(start -> assertThat(start.detail().split(" "))
                        .startsWith("-A", "combo", "-l", "stagehand", "-P", secret, "-q"));
        String logged = Files.readString(serviceLog, StandardCharsets.UTF_8);
        assertThat(logged).as("the service's log").contains("recalling", "${env:" + SECRET_VARIABLE + "}").doesNotContain(secret);
    }
}
