package org.stagehand.requests;

import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.catalog.CatalogDao;
import org.stagehand.catalog.CatalogEntry;
import org.stagehand.db.DatabaseFailures;
import org.stagehand.requests.PathListDao.Listed;
import org.stagehand.requests.PathRequest.RequestedPath;
import org.stagehand.requests.RequestWriter.NewRequest;

/**
 * Turns the path lists of accepted stage requests into their files' rows, oldest first, a few
 * thousand paths to a transaction, on a thread of its own (the way a bulk service expands what it
 * accepted): each path is looked up in the catalog (and, with {@code tapeRest.resolveUnknownPaths},
 * in the archive), a path that names no file fails alone, and the files get their work. Until then
 * a poll answers from the list, every path queued. Lists stored by other instances are found within
 * a second; several instances may expand side by side, each list is expanded once.
 */
final class PathListExpander implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(PathListExpander.class);
    /** Paths expanded in one transaction, about; a longer single list is expanded whole. */
    static final int PATHS_PER_ROUND = 5000;
    private static final int MOST_LISTS_PER_ROUND = 100;
    private static final Duration IDLE_CHECK = Duration.ofSeconds(1);
    private static final Duration OUTAGE_WAIT = Duration.ofSeconds(2);
    /** How long a list whose expansion failed on its own waits before it is tried again. */
    private static final Duration SET_ASIDE = Duration.ofMinutes(5);

    private final Jdbi jdbi;
    private final RequestIntake intake;
    private final Optional<UncatalogedPaths> archive;
    private final Clock clock;
    private final Semaphore wake = new Semaphore(0);
    /** Lists whose expansion failed on its own, until when they are left alone (this instance's own). */
    private final Map<UUID, Long> setAside = new ConcurrentHashMap<>();
    private final DaemonLoop loop = new DaemonLoop("stagehand-path-list-expander", this::expandUntilStopped);

    PathListExpander(Jdbi jdbi, RequestIntake intake, Optional<UncatalogedPaths> archive, Clock clock) {
        this.jdbi = jdbi;
        this.intake = intake;
        this.archive = archive;
        this.clock = clock;
    }

    /** A list was stored here: expand it soon. */
    void signal() {
        wake.release();
    }

    @Override
    public void start() {
        loop.start();
    }

    @Override
    public void stop() throws InterruptedException {
        loop.stop();
    }

    /**
     * Expands this request's list now, on the caller's thread, if it still has one (a cancel or a
     * release must see the request's files).
     */
    void expandNow(UUID requestId) {
        Optional<Listed> listed = jdbi.withHandle(handle -> new PathListDao(handle).find(requestId));
        if (listed.isPresent()) {
            expand(List.of(listed.get()));
        }
    }

    /**
     * Expands the oldest lists, about {@link #PATHS_PER_ROUND} paths of them.
     *
     * @return how many lists were taken
     */
    int expandOldest() {
        List<PathListDao.Waiting> oldest = jdbi.withHandle(handle -> new PathListDao(handle).oldest(MOST_LISTS_PER_ROUND));
        long now = System.nanoTime();
        setAside.values().removeIf(until -> until - now < 0);
        List<UUID> chosen = new ArrayList<>();
        int paths = 0;
        for (PathListDao.Waiting waiting : oldest) {
            if (paths >= PATHS_PER_ROUND) {
                break;
            }
            if (!setAside.containsKey(waiting.requestId())) {
                chosen.add(waiting.requestId());
                paths += waiting.paths();
            }
        }
        if (chosen.isEmpty()) {
            return 0;
        }
        List<Listed> round = jdbi.withHandle(handle -> new PathListDao(handle).find(chosen));
        if (round.isEmpty()) {
            return chosen.size(); // expanded by another instance meanwhile: look again at once
        }
        try {
            expand(round);
        } catch (RuntimeException e) {
            if (round.size() == 1 || DatabaseFailures.isUnavailable(e)) {
                throw e;
            }
            // One list's statement may be what failed: each is expanded on its own, so it fails alone.
            LOG.warn("expanding {} path lists together failed ({}); expanding each on its own", round.size(), e.toString());
            for (Listed listed : round) {
                try {
                    expand(List.of(listed));
                } catch (RuntimeException alone) {
                    if (DatabaseFailures.isUnavailable(alone)) {
                        throw alone;
                    }
                    setAside.put(listed.requestId(), System.nanoTime() + SET_ASIDE.toNanos());
                    LOG.error("request {}: its {} paths cannot be expanded; trying again in {} min", listed.requestId(),
                            listed.list().size(), SET_ASIDE.toMinutes(), alone);
                }
            }
        }
        return round.size();
    }

    private void expandUntilStopped() {
        while (loop.running()) {
            try {
                if (expandOldest() == 0 && wake.tryAcquire(IDLE_CHECK.toMillis(), TimeUnit.MILLISECONDS)) {
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!loop.running()) {
                    return;
                }
                LOG.warn("cannot expand path lists now; trying again in {} s: {}", OUTAGE_WAIT.toSeconds(), e.toString());
                try {
                    Thread.sleep(OUTAGE_WAIT.toMillis());
                } catch (InterruptedException stopped) {
                    return;
                }
            }
        }
    }

    /** Looks the lists' paths up and stores their files' rows in one transaction. */
    private void expand(List<Listed> lists) {
        Map<String, CatalogEntry> byPath = new HashMap<>();
        Map<String, String> archiveErrors = new HashMap<>();
        Set<String> wanted = new LinkedHashSet<>();
        lists.forEach(listed -> listed.list().paths().stream().filter(path -> path.stagingPath() != null)
                .forEach(path -> wanted.add(path.stagingPath().value())));
        jdbi.useHandle(handle -> {
            PathRequestDao dao = new PathRequestDao(handle);
            lookUp(dao, wanted, byPath);
            List<String> unknown = wanted.stream().filter(path -> !byPath.containsKey(path)).toList();
            if (archive.isPresent() && !unknown.isEmpty()) {
                handle.attach(CatalogDao.class).insertDiscovered(archive.get().discover(unknown, archiveErrors),
                        clock.instant());
                lookUp(dao, unknown, byPath); // as cataloged just now
            }
        });
        List<NewRequest> expansions = lists.stream().map(listed -> expansionOf(listed, byPath, archiveErrors)).toList();
        Map<String, CatalogEntry> byId = new HashMap<>(byPath.size() * 4 / 3 + 1);
        byPath.values().forEach(entry -> byId.put(entry.fileId(), entry));
        intake.expand(expansions, byId);
    }

    /** Puts the catalog entries at these staging paths into {@code byPath}, a chunk to a statement. */
    private static void lookUp(PathRequestDao dao, Collection<String> stagingPaths, Map<String, CatalogEntry> byPath) {
        for (List<String> chunk : WorkAttachment.chunks(stagingPaths)) {
            dao.entriesByStagingPath(chunk).forEach(state -> byPath.put(state.entry().stagingPath().value(), state.entry()));
        }
    }

    private static NewRequest expansionOf(Listed listed, Map<String, CatalogEntry> byPath, Map<String, String> archiveErrors) {
        List<RequestedPath> paths = listed.list().paths();
        List<String> names = new ArrayList<>(paths.size());
        List<String> fileIds = new ArrayList<>(paths.size());
        List<String> errors = new ArrayList<>(paths.size());
        List<String> metadata = new ArrayList<>(paths.size());
        Set<String> distinctIds = new LinkedHashSet<>();
        for (RequestedPath path : paths) {
            CatalogEntry entry = path.stagingPath() == null ? null : byPath.get(path.stagingPath().value());
            names.add(path.name());
            fileIds.add(entry == null ? null : entry.fileId());
            errors.add(entry != null ? null : path.refusal() != null ? path.refusal()
                    : archiveErrors.getOrDefault(path.stagingPath().value(), "no such file: " + path.name()));
            metadata.add(path.metadata());
            if (entry != null) {
                distinctIds.add(entry.fileId());
            }
        }
        return NewRequest.expansion(listed.requestId(), List.copyOf(distinctIds), new PathRows(listed.list().client(),
                listed.list().pinSeconds(), names, fileIds, errors, metadata));
    }
}
