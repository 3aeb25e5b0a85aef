package org.stagehand.backend.support;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon threads named {@code name-1}, {@code name-2}, ..., so that thread dumps say whose they
 * are, and so that a backend's threads never keep a stopping service alive.
 */
public final class DaemonThreads implements ThreadFactory {

    private final String name;
    private final AtomicInteger counter = new AtomicInteger();

    public DaemonThreads(String name) {
        this.name = name;
    }

    @Override
    public Thread newThread(Runnable runnable) {
        Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }
}
