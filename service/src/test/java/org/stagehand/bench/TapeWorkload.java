package org.stagehand.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The tape benchmark's trace, the same for every strategy: 40 tapes, 4,000 files of log-uniform
 * size (100 MB-5 GB) scattered along their tapes between other data, asked for by 400 requests of
 * 10 files arriving as a Poisson stream over 2 hours. Tapes are Zipf-hot: a request names one
 * tape drawn by Zipf (s = 1) for most of its files and draws each of the others from the same
 * law, so a few tapes are asked for again and again while they may still be mounted.
 *
 * @param files every file, in catalog order
 * @param requests in arrival order
 * @param model the library's figures for these tapes
 */
record TapeWorkload(List<TapeFile> files, List<TapeRequest> requests, DriveModel model) {

    static final int TAPES = 40;
    static final int FILES = 4_000;
    static final int REQUESTS = 400;
    static final double ARRIVAL_SPAN_SECONDS = 7_200;
    private static final double MB = 1e6;
    /**
     * Sizes are whole multiples of this, so that files on disk can be this many times smaller
     * than the size they are priced at, exactly.
     */
    static final long SIZE_QUANTUM = 10_000;
    /** Offsets are whole megabytes: the stand-in's tape map gives positions in MB. */
    static final long POSITION_QUANTUM = 1_000_000;

    /** A file on tape: its volume, its byte offset from the tape's beginning, its full size. */
    record TapeFile(String id, String volume, long offset, long bytes) {
        long end() {
            return offset + bytes;
        }
    }

    /** A request: when it arrives (simulated seconds from the start) and its files in the order named. */
    record TapeRequest(int number, double arrival, List<TapeFile> files) {
    }

    static String volume(int tape) {
        return String.format(Locale.ROOT, "TS%04d", tape);
    }

    static TapeWorkload generate(long seed) {
        Random random = new Random(seed);
        Map<String, DriveModel.Tape> tapes = new LinkedHashMap<>();
        double[] zipf = new double[TAPES];
        double total = 0;
        for (int tape = 0; tape < TAPES; tape++) {
            tapes.put(volume(tape), new DriveModel.Tape(60 + 30 * random.nextDouble(), 60 + 30 * random.nextDouble(),
                    (300 + 100 * random.nextDouble()) * MB));
            total += 1.0 / (tape + 1);
            zipf[tape] = total;
        }
        // Which tape each request's files are on: mostly its own tape, the rest Zipf-drawn.
        List<List<Integer>> tapeOfFile = new ArrayList<>();
        List<List<Long>> sizes = new ArrayList<>();
        List<List<TapeFile>> onTape = new ArrayList<>();
        for (int tape = 0; tape < TAPES; tape++) {
            onTape.add(new ArrayList<>());
        }
        int perRequest = FILES / REQUESTS;
        for (int request = 0; request < REQUESTS; request++) {
            int home = draw(zipf, random);
            List<Integer> its = new ArrayList<>();
            List<Long> itsSizes = new ArrayList<>();
            for (int k = 0; k < perRequest; k++) {
                its.add(random.nextDouble() < 0.7 ? home : draw(zipf, random));
                double bytes = Math.exp(Math.log(100 * MB) + random.nextDouble() * Math.log(50));
                itsSizes.add(Math.round(bytes / SIZE_QUANTUM) * SIZE_QUANTUM);
            }
            tapeOfFile.add(its);
            sizes.add(itsSizes);
        }
        // Lay each tape's files out in random order between gaps of other data.
        List<List<long[]>> slots = new ArrayList<>();
        for (int tape = 0; tape < TAPES; tape++) {
            slots.add(new ArrayList<>());
        }
        for (int request = 0; request < REQUESTS; request++) {
            for (int k = 0; k < perRequest; k++) {
                slots.get(tapeOfFile.get(request).get(k)).add(new long[] {request, k, sizes.get(request).get(k)});
            }
        }
        TapeFile[][] placed = new TapeFile[REQUESTS][perRequest];
        for (int tape = 0; tape < TAPES; tape++) {
            List<long[]> its = slots.get(tape);
            Collections.shuffle(its, random);
            long used = its.stream().mapToLong(slot -> slot[2]).sum();
            double[] gaps = new double[its.size() + 1];
            double gapTotal = 0;
            for (int i = 0; i < gaps.length; i++) {
                gaps[i] = random.nextDouble();
                gapTotal += gaps[i];
            }
            double free = DriveModel.CAPACITY_BYTES * 0.95 - used;
            long offset = 0;
            for (int i = 0; i < its.size(); i++) {
                long[] slot = its.get(i);
                offset += Math.round(free * gaps[i] / gapTotal);
                offset = (offset + POSITION_QUANTUM - 1) / POSITION_QUANTUM * POSITION_QUANTUM;
                String id = String.format(Locale.ROOT, "ts-%03d-%02d", slot[0], slot[1]);
                placed[(int) slot[0]][(int) slot[1]] = new TapeFile(id, volume(tape), offset, slot[2]);
                offset += slot[2];
            }
        }
        List<TapeFile> files = new ArrayList<>();
        List<TapeRequest> requests = new ArrayList<>();
        double clock = 0;
        double meanGap = ARRIVAL_SPAN_SECONDS / REQUESTS;
        for (int request = 0; request < REQUESTS; request++) {
            clock += -meanGap * Math.log(1 - random.nextDouble());
            List<TapeFile> its = List.of(placed[request]);
            files.addAll(its);
            requests.add(new TapeRequest(request, clock, its));
        }
        return new TapeWorkload(List.copyOf(files), List.copyOf(requests), new DriveModel(tapes));
    }

    private static int draw(double[] cumulative, Random random) {
        double u = random.nextDouble() * cumulative[cumulative.length - 1];
        for (int i = 0; i < cumulative.length; i++) {
            if (u < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }

    /** The files of each tape in position order. */
    Map<String, List<TapeFile>> byTape() {
        Map<String, List<TapeFile>> byTape = new LinkedHashMap<>();
        files.forEach(file -> byTape.computeIfAbsent(file.volume(), v -> new ArrayList<>()).add(file));
        byTape.values().forEach(list -> list.sort(Comparator.comparingLong(TapeFile::offset)));
        return byTape;
    }
}
