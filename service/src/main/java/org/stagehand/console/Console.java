package org.stagehand.console;

import io.dropwizard.core.setup.Environment;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.stagehand.auth.BearerTokenAuthenticator;
import org.stagehand.work.TapePlan;

/** The read-only operator console at {@code /console/} on the admin port (docs/operations.md). */
public final class Console {

    private Console() {
    }

    /**
     * What the console is given by the application's wiring.
     *
     * @param instanceName this instance's {@code work.instanceName}
     * @param leaseDuration {@code work.leaseDuration}, to tell an instance's last heartbeat
     * @param pinLifetime {@code lifecycle.pinLifetime}, for the pinned bytes
     * @param capacityBytes {@code lifecycle.capacity}, when configured
     * @param idPrefix {@code staging.idPrefix}, stripped from a searched file ID
     * @param paused whether this instance's work is paused
     * @param adminTokens the admin tokens; empty: the console is open to whoever reaches the admin port
     * @param tapePlan the tape plan's snapshot, empty when the queue is not planned by volume
     */
    public record Settings(String instanceName, Duration leaseDuration, Duration pinLifetime, OptionalLong capacityBytes,
                           Path stagingRoot, Optional<String> idPrefix, BooleanSupplier paused,
                           Optional<BearerTokenAuthenticator> adminTokens, Supplier<Optional<TapePlan>> tapePlan) {
    }

    /** Serves the console on the admin port and measures the staging area in the background. */
    public static void install(Environment environment, Jdbi jdbi, RequestReader requests, Settings settings, Clock clock) {
        OverviewReadModel overview = new OverviewReadModel(jdbi);
        AreaSampler sampler = new AreaSampler(overview, settings.pinLifetime(), clock);
        environment.lifecycle().manage(sampler);
        ConsoleViews views = new ConsoleViews(overview, new RequestSearch(jdbi), sampler, requests,
                new ConsoleViews.Instance(settings.instanceName(), settings.leaseDuration(), settings.paused(),
                        settings.capacityBytes(), settings.stagingRoot(), settings.idPrefix(), settings.tapePlan()),
                clock);
        ConsoleServlet servlet = new ConsoleServlet(views, new ConsolePages(environment.getObjectMapper()),
                new ConsoleSessions(settings.adminTokens(), clock), environment.getObjectMapper());
        environment.admin().addServlet("console", servlet).addMapping("/console/*");
    }
}
