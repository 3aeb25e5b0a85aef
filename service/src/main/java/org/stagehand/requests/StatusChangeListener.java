package org.stagehand.requests;

import io.dropwizard.lifecycle.Managed;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link StatusCache} honest on PostgreSQL: one connection of its own LISTENs for the
 * notifications that the database's triggers send when a request's answer changes, whichever
 * instance (or person) changed it, and drops those answers. While the connection is down the cache
 * is dark and every status is read from the database; a quiet connection is checked every second,
 * so a connection that silently died darkens the cache within the connection's socket timeout.
 */
public final class StatusChangeListener implements Managed {

    /** The channel the triggers of the migration {@code 7-status-notify-function} notify. */
    static final String CHANNEL = "stagehand_status";
    /** The channel of new requests (migration {@code s3-stage-1-new-request-notify-function}). */
    static final String NEW_REQUESTS_CHANNEL = "stagehand_new_requests";

    private static final Logger LOG = LoggerFactory.getLogger(StatusChangeListener.class);
    private static final int QUIET_CHECK_MILLIS = 1000;
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration LAST_RETRY = Duration.ofSeconds(5);

    /** Opens the listener's own connection (not one of the pool's: it is held for good). */
    @FunctionalInterface
    public interface ConnectionOpener {
        Connection open() throws SQLException;
    }

    private final ConnectionOpener opener;
    private final StatusCache cache;
    private volatile boolean running;
    private volatile Connection connection;
    /** Whether the current connection got as far as listening; the listening thread's own. */
    private boolean listening;
    private Thread thread;

    public StatusChangeListener(ConnectionOpener opener, StatusCache cache) {
        this.opener = opener;
        this.cache = cache;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::listenUntilStopped, "stagehand-status-listener");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        closeQuietly(connection); // ends a wait for notifications at once
        thread.interrupt();
        thread.join(Duration.ofSeconds(10).toMillis());
        cache.goDark();
    }

    private void listenUntilStopped() {
        Duration retry = FIRST_RETRY;
        boolean warned = false;
        while (running) {
            listening = false;
            try (Connection opened = opener.open()) {
                connection = opened;
                listen(opened);
            } catch (SQLException | RuntimeException e) {
                // Said once per outage, not once per attempt to reconnect.
                if (running && (listening || !warned)) {
                    LOG.warn("status answers are read from the database until the notification connection is back: {}",
                            e.toString());
                    warned = true;
                }
            } finally {
                connection = null;
                cache.goDark();
            }
            if (!running) {
                return;
            }
            retry = listening ? FIRST_RETRY : min(retry.multipliedBy(2), LAST_RETRY);
            try {
                Thread.sleep(retry.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void listen(Connection opened) throws SQLException {
        opened.setAutoCommit(true);
        try (Statement statement = opened.createStatement()) {
            statement.execute("LISTEN " + CHANNEL);
            statement.execute("LISTEN " + NEW_REQUESTS_CHANNEL);
        }
        // Only now: a change committed before the LISTEN was not notified, but is read by any later query.
        cache.goLive();
        listening = true;
        LOG.info("status answers are cached; changes are notified on '{}'", CHANNEL);
        PGConnection notifications = opened.unwrap(PGConnection.class);
        while (running) {
            PGNotification[] received = notifications.getNotifications(QUIET_CHECK_MILLIS);
            if (received == null || received.length == 0) {
                try (Statement statement = opened.createStatement()) {
                    statement.execute("SELECT 1"); // fails, within the socket timeout, on a dead connection
                }
            } else {
                apply(received);
            }
        }
    }

    private void apply(PGNotification[] received) {
        List<UUID> changed = new ArrayList<>();
        List<UUID> created = new ArrayList<>();
        for (PGNotification notification : received) {
            String payload = notification.getParameter();
            if ("*".equals(payload)) {
                cache.invalidateAll();
                return;
            }
            List<UUID> into = NEW_REQUESTS_CHANNEL.equals(notification.getName()) ? created : changed;
            for (String id : payload.split(",")) {
                try {
                    into.add(UUID.fromString(id));
                } catch (IllegalArgumentException e) {
                    // Not ours to understand: play safe.
                    LOG.warn("notification on '{}' with a payload that is not request IDs: {}", notification.getName(), payload);
                    cache.invalidateAll();
                    return;
                }
            }
        }
        // In the order sent: a request is created before anything changes it.
        if (!created.isEmpty()) {
            cache.created(created);
        }
        if (!changed.isEmpty()) {
            cache.invalidate(changed);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void closeQuietly(Connection toClose) {
        if (toClose == null) {
            return;
        }
        try {
            toClose.close();
        } catch (SQLException | RuntimeException e) {
            // closing to interrupt a wait; nothing else to do
        }
    }
}
