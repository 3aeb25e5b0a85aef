package org.stagehand.requests;

import java.time.Duration;

/**
 * One daemon thread running a loop until it is stopped: the start and stop that this package's
 * background rounds share. The loop goes on while {@link #running()}; a stop also interrupts its
 * wait, and waits for it to end, at most {@link #STOP_WAIT}.
 */
final class DaemonLoop {

    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final String name;
    private final Runnable loop;
    private volatile boolean running;
    private Thread thread;

    /** @param loop runs on the thread, until {@link #running()} is false or it is interrupted */
    DaemonLoop(String name, Runnable loop) {
        this.name = name;
        this.loop = loop;
    }

    void start() {
        running = true;
        thread = new Thread(loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether the loop should go on: false once a stop began. */
    boolean running() {
        return running;
    }

    void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(STOP_WAIT.toMillis());
        }
    }
}
