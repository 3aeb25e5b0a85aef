package org.stagehand.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.Duration;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.area.StagingArea;
import org.stagehand.db.DatabaseSetup;

class StagingAreaCleanerTest {

    @TempDir
    Path directory;

    /**
     * The purge tells its caller which requests it deleted, so that the status answers this
     * instance keeps in memory go at once: on PostgreSQL a GET right after the purge was still
     * answered 200 from the cache until the delete's notification came back.
     */
    @Test
    void purgedRequestsAreReportedSoThatAnswersKeptInMemoryGoAtOnce() throws Exception {
        DataSourceFactory database = new DataSourceFactory();
        database.setDriverClass("org.h2.Driver");
        database.setUrl("jdbc:h2:file:" + directory.resolve("db") + ";MODE=PostgreSQL");
        database.setUser("sa");
        DatabaseSetup.migrate(database, new MetricRegistry());
        Jdbi jdbi = Jdbi.create(database.getUrl(), "sa", "").installPlugin(new SqlObjectPlugin());
        UUID old = UUID.randomUUID();
        UUID recent = UUID.randomUUID();
        Instant now = Instant.now();
        jdbi.useHandle(handle -> {
            for (var request : List.of(new Object[] {old, now.minusSeconds(3600)}, new Object[] {recent, now})) {
                handle.createUpdate("INSERT INTO staging_request (request_id, created_at, file_count) VALUES (:id, :at, 0)")
                        .bind("id", (UUID) request[0]).bind("at", (Instant) request[1]).execute();
            }
        });
        LifecycleConfiguration config = new LifecycleConfiguration();
        config.setRequestRetention(Duration.minutes(1));
        List<UUID> reported = new ArrayList<>();
        StagingAreaCleaner cleaner = new StagingAreaCleaner(jdbi, StagingArea.open(directory.resolve("staging"), true),
                config, Clock.systemUTC(), reported::addAll);

        StagingAreaCleaner.CleanupReport report = cleaner.cleanUp(false);

        assertThat(report.requestsPurged()).isEqualTo(1);
        assertThat(reported).containsExactly(old);
        assertThat(cleaner.cleanUp(true).requestsPurged()).isZero();
        assertThat(reported).containsExactly(old);
    }
}
