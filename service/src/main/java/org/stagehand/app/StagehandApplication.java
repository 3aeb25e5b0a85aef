package org.stagehand.app;

import io.dropwizard.auth.AuthDynamicFeature;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.migrations.MigrationsBundle;
import jakarta.servlet.DispatcherType;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.admin.CancelRequestTask;
import org.stagehand.admin.EvictTask;
import org.stagehand.admin.ImportCatalogTask;
import org.stagehand.admin.PauseWorkTask;
import org.stagehand.admin.RetryRequestTask;
import org.stagehand.api.dts.StagingRefusalCounter;
import org.stagehand.api.dts.StagingResource;
import org.stagehand.api.jdp.JdpApiResource;
import org.stagehand.area.StagingArea;
import org.stagehand.area.StagingAreaHealthCheck;
import org.stagehand.auth.AdminTokenFilter;
import org.stagehand.auth.ApiClient;
import org.stagehand.auth.BearerTokenAuthenticator;
import org.stagehand.auth.HeaderBearerAuthFilter;
import org.stagehand.auth.JsonUnauthorizedHandler;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.BackendContext;
import org.stagehand.backend.DescribesPaths;
import org.stagehand.backend.EstimatesReadiness;
import org.stagehand.catalog.CatalogImporter;
import org.stagehand.console.Console;
import org.stagehand.console.RequestReader;
import org.stagehand.db.DatabaseSetup;
import org.stagehand.db.NameCommentTemplateEngine;
import org.stagehand.http.ApiExceptionMapper;
import org.stagehand.http.BadMessageExceptionMapper;
import org.stagehand.http.ConnectionCloseOnRefusal;
import org.stagehand.http.DatabaseExceptionMapper;
import org.stagehand.http.HttpLimitsConfiguration;
import org.stagehand.http.InputDefences;
import org.stagehand.http.JsonErrorHandler;
import org.stagehand.http.MalformedBodyExceptionMapper;
import org.stagehand.http.RequestBodyLimit;
import org.stagehand.lifecycle.CleanupSchedule;
import org.stagehand.lifecycle.StagingAreaCleaner;
import org.stagehand.metrics.PrometheusTextServlet;
import org.stagehand.metrics.StagehandGauges;
import org.stagehand.requests.JdpRequestIds;
import org.stagehand.requests.PathRequests;
import org.stagehand.requests.PlanAhead;
import org.stagehand.requests.ReadyEstimates;
import org.stagehand.requests.RequestFilePage;
import org.stagehand.requests.RequestIntake;
import org.stagehand.requests.RequestOperations;
import org.stagehand.requests.RequestStatusReader;
import org.stagehand.requests.StagingStatus;
import org.stagehand.requests.StatusCache;
import org.stagehand.requests.StatusChangeListener;
import org.stagehand.work.ClientMessages;
import org.stagehand.work.FreezePoints;
import org.stagehand.work.MountRecorder;
import org.stagehand.work.WorkDao;
import org.stagehand.work.WorkDispatcher;

/** Stagehand: restores archived files into a staging area when the DTS asks for them. */
public class StagehandApplication extends Application<StagehandConfiguration> {

    private static final Logger LOG = LoggerFactory.getLogger(StagehandApplication.class);

    private final FreezePoints freezePoints;

    public StagehandApplication() {
        this(FreezePoints.NONE);
    }

    /** An application whose work threads stop where a test holds them (see {@link FreezePoints}). */
    public StagehandApplication(FreezePoints freezePoints) {
        this.freezePoints = freezePoints;
    }

    public static void main(String[] args) throws Exception {
        new StagehandApplication().run(args);
    }

    @Override
    public String getName() {
        return "stagehand";
    }

    @Override
    public void initialize(Bootstrap<StagehandConfiguration> bootstrap) {
        // ${VAR} and ${VAR:-default} in config.yml; an unset variable without default is an error.
        // ${env:VAR} is left for the backend that reads it (hsi arguments and environment).
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new ConfigurationSubstitutor()));
        bootstrap.addBundle(new MigrationsBundle<>() {
            @Override
            public DataSourceFactory getDataSourceFactory(StagehandConfiguration configuration) {
                return configuration.getDatabase();
            }

            @Override
            public String getMigrationsFileName() {
                return DatabaseSetup.MIGRATIONS;
            }
        });
        bootstrap.addCommand(new ImportCatalogCommand());
    }

    /** Bearer tokens on the DTS endpoints when any is configured; open, and said so, otherwise. */
    private static void registerAuthentication(StagehandConfiguration config, Environment environment,
                                               Optional<BearerTokenAuthenticator> authenticator) {
        if (authenticator.isEmpty()) {
            LOG.warn("no API tokens are configured (auth.tokenSha256, or the environment variable {}):"
                    + " the staging endpoints are open to anyone who can reach them",
                    config.getAuth().getTokensEnvironmentVariable());
            return;
        }
        environment.jersey().register(new AuthDynamicFeature(new HeaderBearerAuthFilter.Builder()
                .setAuthenticator(authenticator.get())
                .setPrefix("Bearer")
                .setRealm("stagehand")
                .setUnauthorizedHandler(new JsonUnauthorizedHandler())
                .buildAuthFilter()));
    }

    /** JSON instead of Jetty's HTML for errors given before Jersey runs, and the slow-client limits, on both ports. */
    private static void installJsonErrorsAndLimits(Environment environment, HttpLimitsConfiguration limits) {
        JsonErrorHandler errors = new JsonErrorHandler();
        environment.getApplicationContext().setErrorHandler(errors);
        environment.getAdminContext().setErrorHandler(errors);
        environment.lifecycle().addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                if (event instanceof Server server) {
                    server.setErrorHandler(errors);
                    limits.applyTo(server);
                }
            }
        });
    }

    /**
     * Admin tasks need an admin token when one is configured (the console checks the same tokens
     * itself, to offer a browser its sign-in form); health checks and metrics stay open to whoever
     * reaches the admin port.
     */
    private static Optional<BearerTokenAuthenticator> guardAdminTasks(StagehandConfiguration config, Environment environment) {
        Optional<BearerTokenAuthenticator> adminTokens = BearerTokenAuthenticator.admin(config.getAuth(), System.getenv());
        if (adminTokens.isEmpty()) {
            LOG.info("no admin tokens are configured (auth.adminTokenSha256, or the environment variable {}):"
                    + " admin tasks are guarded by the admin port's bind alone", config.getAuth().getAdminTokensEnvironmentVariable());
        }
        environment.admin().addFilter("admin-token", new AdminTokenFilter(adminTokens))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/tasks/*");
        return adminTokens;
    }

    @Override
    public void run(StagehandConfiguration config, Environment environment) throws Exception {
        Clock clock = Clock.systemUTC();
        installJsonErrorsAndLimits(environment, config.getHttp());
        DatabaseSetup.checkSupported(config.getDatabase());
        DatabaseSetup.tuneDriver(config.getDatabase());
        if (config.isAutoMigrate()) {
            DatabaseSetup.migrate(config.getDatabase(), environment.metrics());
        }
        DatabaseSetup.boundWaits(config.getDatabase(), config.getWork().getLockTimeout().toJavaDuration(),
                config.getWork().getStatementTimeout().toJavaDuration(),
                config.getWork().getTransactionIdleTimeout().toJavaDuration());
        Jdbi jdbi = new JdbiFactory().build(environment, config.getDatabase(), "database");
        // Replaces Dropwizard's name-prepending engine, whose templates Jdbi cannot cache.
        jdbi.setTemplateEngine(new NameCommentTemplateEngine());
        DatabaseSetup.makeH2CommitsDurable(config.getDatabase(), jdbi);
        StagingArea area = StagingArea.open(Path.of(config.getStaging().getRoot()), config.getStaging().isCreateRoot());

        boolean postgres = DatabaseSetup.isPostgres(config.getDatabase());
        CatalogImporter importer = new CatalogImporter(jdbi, environment.getObjectMapper(),
                config.getStaging().getIdPrefix(), postgres, clock);
        if (config.getCatalog().getImportAtStartup().isPresent()) {
            importer.importFile(Path.of(config.getCatalog().getImportAtStartup().get()));
        }

        String instanceName = config.getWork().getInstanceName() != null
                ? config.getWork().getInstanceName() : InetAddress.getLocalHost().getHostName();
        ArchiveBackend backend = config.getBackend().build(new BackendContext(getName(), area.root(),
                environment.metrics(), environment.getObjectMapper(), new MountRecorder(jdbi, instanceName, clock)));
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() throws Exception {
                backend.close();
            }
        });

        StatusCache statusCache = StatusCache.create(config.getStaging().getStatusCacheEntries(),
                config.getStaging().getStatusCacheFiles(),
                config.getStaging().getStatusCacheMaxAge().toJavaDuration(), environment.metrics());
        StagingAreaCleaner cleaner = new StagingAreaCleaner(jdbi, area, config.getLifecycle(), clock,
                statusCache::invalidate);
        WorkDispatcher dispatcher = new WorkDispatcher(jdbi.onDemand(WorkDao.class), area, backend, config.getWork(),
                cleaner, instanceName, new ClientMessages(area.root(),
                        ClientMessages.archiveRootsOf(config.getBackend(), environment.getObjectMapper())),
                environment.metrics(), clock,
                () -> DatabaseSetup.openDedicatedConnection(config.getDatabase(), "stagehand-leases"), freezePoints,
                postgres);
        // Before the ports open: a load balancer must not see an instance that is still sweeping.
        dispatcher.prepare();
        environment.lifecycle().manage(dispatcher);
        environment.lifecycle().manage(new CleanupSchedule(cleaner, config.getLifecycle()));

        if (postgres && config.getStaging().getStatusCacheEntries() > 0) {
            // H2 cannot notify: its cache stays dark and every status is read from the database.
            environment.lifecycle().manage(new StatusChangeListener(() -> DatabaseSetup.openDedicatedPostgresConnection(
                    config.getDatabase(), "stagehand-status-listener"), statusCache));
        }
        ReadyEstimates estimates = new ReadyEstimates(jdbi,
                backend instanceof EstimatesReadiness readiness ? Optional.of(readiness) : Optional.empty(),
                () -> dispatcher.tapePlan().map(PlanAhead::of), clock);
        RequestStatusReader reader = new RequestStatusReader(jdbi, statusCache, estimates,
                config.getStaging().getLastKnownStatusEntries(), config.getStaging().getLastKnownStatusFiles(), clock,
                environment.metrics());
        RequestIntake intake = new RequestIntake(jdbi, postgres, reader, area, config.getStaging(), dispatcher::signal,
                clock);
        RequestOperations operations = new RequestOperations(jdbi, postgres, statusCache, area, dispatcher::signal,
                dispatcher::cancelUnwantedWork, clock);
        environment.lifecycle().manage(reader);
        environment.lifecycle().manage(intake);
        InputDefences.install(environment);
        environment.jersey().register(new RequestBodyLimit(config.getStaging().getMaxRequestBody().toBytes(),
                config.getHttp().getMinRequestDataRate().toBytes()));
        environment.jersey().register(new ConnectionCloseOnRefusal());
        environment.jersey().register(new StagingRefusalCounter(environment.metrics()));
        environment.jersey().register(new ApiExceptionMapper());
        environment.jersey().register(new DatabaseExceptionMapper());
        environment.jersey().register(new MalformedBodyExceptionMapper());
        environment.jersey().register(new BadMessageExceptionMapper());
        environment.jersey().register(new StagingResource(intake, reader, operations, config.publicUrls(),
                environment.metrics()));
        if (config.getJdpApi().isEnabled()) {
            JdpRequestIds jdpIds = JdpRequestIds.create(intake, reader, config.getStaging().getLastKnownStatusEntries(),
                    environment.metrics());
            environment.lifecycle().manage(jdpIds);
            environment.jersey().register(JdpApiResource.create(intake, reader, jdpIds, config.getJdpApi(),
                    environment.metrics()));
            LOG.info("the JDP-compatible API is served at the root of the API port");
        }
        Optional<BearerTokenAuthenticator> authenticator = BearerTokenAuthenticator.from(config.getAuth(), System.getenv());
        registerAuthentication(config, environment, authenticator);
        Optional<DescribesPaths> archiveLookup = TapeRestWiring.archiveLookup(config, backend);
        TapeRestWiring.register(config, environment, () -> new PathRequests(jdbi, intake, reader, area, statusCache,
                dispatcher::cancelUnwantedWork, clock, archiveLookup), area, authenticator);

        Optional<BearerTokenAuthenticator> adminTokens = guardAdminTasks(config, environment);
        Console.install(environment, jdbi, new RequestReader() {
            @Override
            public Optional<StagingStatus> status(UUID requestId) {
                return reader.status(requestId);
            }

            @Override
            public Optional<RequestFilePage> files(UUID requestId, String after, int limit) {
                return reader.files(requestId, after, limit);
            }
        }, new Console.Settings(instanceName, config.getWork().getLeaseDuration().toJavaDuration(),
                config.getLifecycle().getPinLifetime().toJavaDuration(),
                config.getLifecycle().getCapacity().map(size -> OptionalLong.of(size.toBytes())).orElse(OptionalLong.empty()),
                area.root(), config.getStaging().getIdPrefix(), dispatcher::isPaused, adminTokens,
                dispatcher::tapePlan), clock);
        environment.admin().addTask(new CancelRequestTask(operations));
        environment.admin().addTask(new RetryRequestTask(operations));
        environment.admin().addTask(PauseWorkTask.pause(dispatcher));
        environment.admin().addTask(PauseWorkTask.resume(dispatcher));
        environment.admin().addTask(new ImportCatalogTask(importer));
        environment.admin().addTask(new EvictTask(cleaner));

        StagehandGauges.register(environment.metrics(), jdbi, dispatcher);
        environment.admin().addServlet("prometheus", new PrometheusTextServlet(environment.metrics()))
                .addMapping("/prometheus");

        environment.healthChecks().register("staging-area", new StagingAreaHealthCheck(area,
                config.getStaging().getMinFreeSpace().toBytes()));
        environment.healthChecks().register("backend", new BackendHealthCheck(backend));
        LOG.info("staging into {} with the '{}' backend as instance '{}'", area.root(),
                config.getBackend().getClass().getSimpleName(), instanceName);
    }
}
