package org.stagehand.bench;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.PriorityQueue;
import org.stagehand.bench.TapeWorkload.TapeFile;
import org.stagehand.bench.TapeWorkload.TapeRequest;

/**
 * The strategies that are not Stagehand, run as a discrete-event simulation of the same library
 * (drive model, drive count) on the same trace: scripts that work through the requests in
 * arrival order, one {@code hsi} session per request and as many scripts as drives, reading each
 * request's files either in the order named (FCFS) or sorted by tape and position (NERSC's
 * hpss_file_sorter). A session keeps its drive while its next file is on the same tape; it
 * takes a drive holding its tape if that drive is free, else an empty drive, else the free drive
 * idle longest (unmounting its tape), else it waits for a drive to be released, first come first
 * served. A tape is in one drive at a time.
 */
final class TapeLibrarySimulation {

    /** A drive: the tape in it (or none), where its head is, who holds it, when it was last released. */
    static final class Drive {
        String tape;
        long head;
        Session holder;
        double releasedAt;
    }

    /** One script's hsi session for one request. */
    private static final class Session {
        final int worker;
        TapeRequest request;
        List<TapeFile> order;
        int next;
        Drive drive;

        Session(int worker) {
            this.worker = worker;
        }
    }

    private record Wake(double at, long sequence, Session session) {
    }

    private final TapeWorkload workload;
    private final int driveCount;

    TapeLibrarySimulation(TapeWorkload workload, int driveCount) {
        this.workload = workload;
        this.driveCount = driveCount;
    }

    TapeOutcome fcfs() {
        return run("FCFS in request order (" + driveCount + " scripts)", false);
    }

    TapeOutcome perRequestTapeOrder() {
        return run("per-request tape order, hpss_file_sorter (" + driveCount + " scripts)", true);
    }

    private TapeOutcome run(String name, boolean sorted) {
        List<Drive> drives = new ArrayList<>();
        for (int i = 0; i < driveCount; i++) {
            drives.add(new Drive());
        }
        PriorityQueue<Wake> wakes = new PriorityQueue<>(Comparator.comparingDouble(Wake::at).thenComparingLong(Wake::sequence));
        long[] sequence = {0};
        Deque<Session> waiting = new ArrayDeque<>();
        double[] completions = new double[workload.requests().size()];
        int nextRequest = 0;
        double driveSeconds = 0;
        int mounts = 0;
        double makespan = 0;
        for (int w = 0; w < driveCount; w++) {
            wakes.add(new Wake(0, sequence[0]++, new Session(w)));
        }
        while (!wakes.isEmpty()) {
            Wake wake = wakes.poll();
            double now = wake.at();
            Session session = wake.session();
            if (session.request != null && session.next == session.order.size()) {
                completions[session.request.number()] = now - session.request.arrival();
                makespan = Math.max(makespan, now);
                release(session, now, waiting, wakes, sequence);
                session.request = null;
            }
            if (session.request == null) {
                if (nextRequest == workload.requests().size()) {
                    continue;
                }
                TapeRequest request = workload.requests().get(nextRequest);
                if (request.arrival() > now) {
                    wakes.add(new Wake(request.arrival(), sequence[0]++, session));
                    continue;
                }
                nextRequest++;
                session.request = request;
                session.order = new ArrayList<>(request.files());
                if (sorted) {
                    session.order.sort(Comparator.comparing(TapeFile::volume).thenComparingLong(TapeFile::offset));
                }
                session.next = 0;
            }
            TapeFile file = session.order.get(session.next);
            double cost = 0;
            if (session.drive == null || !file.volume().equals(session.drive.tape)) {
                release(session, now, waiting, wakes, sequence);
                Drive drive = choose(drives, file.volume());
                if (drive == null) {
                    waiting.add(session);
                    continue;
                }
                drive.holder = session;
                session.drive = drive;
                if (!file.volume().equals(drive.tape)) {
                    if (drive.tape != null) {
                        cost += workload.model().unmount(drive.tape);
                    }
                    cost += workload.model().mount(file.volume());
                    mounts++;
                    drive.tape = file.volume();
                    drive.head = 0;
                }
            }
            Drive drive = session.drive;
            cost += DriveModel.locate(drive.head, file.offset()) + workload.model().read(file.volume(), file.bytes());
            drive.head = file.end();
            driveSeconds += cost;
            session.next++;
            wakes.add(new Wake(now + cost, sequence[0]++, session));
        }
        return new TapeOutcome(name, driveSeconds, mounts, makespan, completions);
    }

    /** A drive for the tape, or null when the session must wait. */
    static Drive choose(List<Drive> drives, String tape) {
        for (Drive drive : drives) {
            if (tape.equals(drive.tape)) {
                return drive.holder == null ? drive : null;
            }
        }
        Drive best = null;
        for (Drive drive : drives) {
            if (drive.holder != null) {
                continue;
            }
            if (drive.tape == null) {
                return drive;
            }
            if (best == null || drive.releasedAt < best.releasedAt) {
                best = drive;
            }
        }
        return best;
    }

    private static void release(Session session, double now, Deque<Session> waiting, PriorityQueue<Wake> wakes, long[] sequence) {
        if (session.drive == null) {
            return;
        }
        session.drive.holder = null;
        session.drive.releasedAt = now;
        session.drive = null;
        // Every waiter looks again, in the order they began to wait.
        while (!waiting.isEmpty()) {
            wakes.add(new Wake(now, sequence[0]++, waiting.poll()));
        }
    }
}
