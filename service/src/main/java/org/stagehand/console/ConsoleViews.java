package org.stagehand.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.stagehand.requests.RequestFile;
import org.stagehand.requests.RequestFilePage;
import org.stagehand.requests.RequestStatus;
import org.stagehand.requests.StagingStatus;
import org.stagehand.work.RequestFileState;
import org.stagehand.work.TapePlan;

/** Builds the answers of the console's endpoints from the read models and the engine's read methods. */
final class ConsoleViews {

    /** Requests on a page of the search; files on a page of a drill-down. */
    static final int PAGE = 50;
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration INSTANCES_SHOWN = Duration.ofDays(1);
    private static final Duration MOUNTS_SHOWN = Duration.ofDays(1);

    /** What the views need to know about this instance. */
    record Instance(String name, Duration leaseDuration, BooleanSupplier paused, OptionalLong capacityBytes,
                    Path stagingRoot, Optional<String> idPrefix, Supplier<Optional<TapePlan>> tapePlan) {
    }

    private final OverviewReadModel overview;
    private final RequestSearch search;
    private final AreaSampler area;
    private final RequestReader requests;
    private final Instance instance;
    private final Clock clock;

    ConsoleViews(OverviewReadModel overview, RequestSearch search, AreaSampler area, RequestReader requests,
                 Instance instance, Clock clock) {
        this.overview = overview;
        this.search = search;
        this.area = area;
        this.requests = requests;
        this.instance = instance;
        this.clock = clock;
    }

    ConsoleJson.Overview overview() {
        Instant now = clock.instant();
        Instant hourAgo = now.minus(HOUR);
        Instant chartSince = now.truncatedTo(ChronoUnit.MINUTES).minus(59, ChronoUnit.MINUTES);
        List<ConsoleJson.Minute> minutes = overview.readyPerMinute(chartSince);
        long files = minutes.stream().mapToLong(ConsoleJson.Minute::files).sum();
        long bytes = minutes.stream().mapToLong(ConsoleJson.Minute::bytes).sum();
        double seconds = Duration.between(chartSince, now).toMillis() / 1000.0;
        ConsoleJson.Throughput throughput = new ConsoleJson.Throughput(chartSince.toString(), minutes, files, bytes,
                round(files / seconds), round(bytes / seconds));
        long underWayBytes = overview.underWay().stream().mapToLong(ConsoleJson.UnderWay::bytes).sum();
        return new ConsoleJson.Overview(now.toString(), instance.name(), overview.requestCounts(),
                overview.fileCounts(now, hourAgo), overview.failuresSince(hourAgo, 20), throughput,
                areaUsage(underWayBytes), instances(now));
    }

    private ConsoleJson.AreaUsage areaUsage(long underWayBytes) {
        AreaSampler.Sample sample = area.last();
        Long capacity = instance.capacityBytes().isPresent() ? instance.capacityBytes().getAsLong() : null;
        Long used = sample == null ? null : sample.readyBytes() + underWayBytes;
        return new ConsoleJson.AreaUsage(capacity, used, capacity == null || used == null ? null : capacity - used,
                sample == null ? null : sample.readyBytes(), underWayBytes,
                sample == null ? null : sample.pinnedBytes(),
                sample == null ? null : sample.readyBytes() - sample.pinnedBytes(),
                sample == null ? null : sample.measuredAt().toString(), diskFree());
    }

    private long diskFree() {
        try {
            return Files.getFileStore(instance.stagingRoot()).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    private List<ConsoleJson.Instance> instances(Instant now) {
        return overview.instances(now.minus(INSTANCES_SHOWN)).stream().map(row -> {
            boolean self = row.name().equals(instance.name());
            return new ConsoleJson.Instance(row.name(), row.startedAt().toString(), row.aliveUntil().toString(),
                    row.aliveUntil().minus(instance.leaseDuration()).toString(), row.claims(),
                    row.aliveUntil().isAfter(now), self, self ? instance.paused().getAsBoolean() : null);
        }).toList();
    }

    ConsoleJson.RequestList requests(String text, RequestSearch.Status status, RequestSearch.Cursor before) {
        String bareId = text;
        if (text != null && instance.idPrefix().isPresent() && text.startsWith(instance.idPrefix().get())) {
            bareId = text.substring(instance.idPrefix().get().length());
        }
        List<RequestSearch.Found> found = search.search(text, bareId, status, before, PAGE + 1);
        String next = null;
        if (found.size() > PAGE) {
            found = found.subList(0, PAGE);
            RequestSearch.Found last = found.get(PAGE - 1);
            next = ConsoleParameters.cursor(new RequestSearch.Cursor(last.createdAt(), last.requestId()));
        }
        return new ConsoleJson.RequestList(text, status == null ? null : status.apiName(),
                found.stream().map(ConsoleViews::summary).toList(), next);
    }

    private static ConsoleJson.RequestSummary summary(RequestSearch.Found found) {
        Map<RequestFileState, Long> byState = found.filesByState();
        long waiting = byState.getOrDefault(RequestFileState.WAITING, 0L);
        long ready = byState.getOrDefault(RequestFileState.READY, 0L);
        long failed = byState.getOrDefault(RequestFileState.FAILED, 0L);
        long cancelled = byState.getOrDefault(RequestFileState.CANCELLED, 0L);
        RequestSearch.Status status = RequestSearch.Status.of(RequestStatus.of(found.cancelledAt() != null, waiting, failed));
        return new ConsoleJson.RequestSummary(found.requestId().toString(), status.apiName(), found.createdAt().toString(),
                waiting + ready + failed + cancelled, ready, waiting, failed, cancelled, found.client(),
                found.requesterOrcid());
    }

    /** A request's drill-down; empty when there is no such request. */
    Optional<ConsoleJson.RequestDetail> request(UUID requestId, String after, String adminBase, boolean tokenNeeded) {
        Optional<RequestSearch.RequestRow> row = search.request(requestId);
        Optional<RequestFilePage> page = requests.files(requestId, after, PAGE);
        Optional<ConsoleJson.StatusAnswer> status = requests.status(requestId).map(ConsoleViews::statusAnswer);
        if (row.isEmpty() || page.isEmpty() || status.isEmpty()) {
            return Optional.empty();
        }
        List<RequestFile> files = page.get().files();
        Map<String, RequestSearch.WorkRow> work = search.work(files.stream().map(RequestFile::id).toList());
        List<ConsoleJson.FileDetail> details = files.stream().map(file -> {
            RequestSearch.WorkRow w = work.get(file.id());
            return new ConsoleJson.FileDetail(file.id(), file.path(), word(file.state()), file.bytes(), file.error(),
                    file.completedAt(), w == null ? null : w.state().name().toLowerCase(java.util.Locale.ROOT),
                    w == null ? null : w.attempts(), w == null || w.notBefore() == null ? null : w.notBefore().toString(),
                    w == null ? null : w.leaseOwner(), w == null ? null : w.waitingForSpace());
        }).toList();
        RequestSearch.RequestRow request = row.get();
        return Optional.of(new ConsoleJson.RequestDetail(requestId.toString(), request.client(),
                request.requesterOrcid(), request.pinSeconds(),
                request.releasedAt() == null ? null : request.releasedAt().toString(), status.get(), details,
                page.get().nextAfter(), commands(requestId, adminBase, tokenNeeded)));
    }

    private static ConsoleJson.StatusAnswer statusAnswer(StagingStatus status) {
        return new ConsoleJson.StatusAnswer(status.requestId(), RequestSearch.Status.of(status.status()).apiName(),
                status.files(), status.bytes(), status.createdAt(), status.updatedAt(), status.completedAt(),
                status.errors(), status.asOf(), status.estimatedReadyAt());
    }

    /** The console's word for a file's state for a request, as the request's client sees it. */
    static String word(RequestFileState state) {
        return state == RequestFileState.WAITING ? "staging" : state.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The admin tasks that act on a request, as commands to copy (the console itself changes nothing). */
    static List<ConsoleJson.Command> commands(UUID requestId, String adminBase, boolean tokenNeeded) {
        String auth = tokenNeeded ? " -H \"Authorization: Bearer $STAGEHAND_ADMIN_TOKEN\"" : "";
        return List.of("cancel", "retry").stream().map(task -> new ConsoleJson.Command(task,
                "curl -X POST" + auth + " '" + adminBase + "/tasks/" + task + "?id=" + requestId + "'")).toList();
    }

    ConsoleJson.TapeView tape() {
        Optional<TapePlan> plan = instance.tapePlan().get();
        List<ConsoleJson.VolumeMounts> mounts = overview.mountsSince(clock.instant().minus(MOUNTS_SHOWN));
        if (plan.isEmpty()) {
            return new ConsoleJson.TapeView(false, "this backend does not report volumes: the queue and the copies"
                    + " under way are shown as the database knows them", overview.queue(), overview.underWay(),
                    null, null, null, null, mounts);
        }
        return volumes(plan.get(), overview.queue(), overview.underWay(), mounts);
    }

    /** The tape view of a plan, with the mounts of the last 24 hours. */
    static ConsoleJson.TapeView volumes(TapePlan plan, ConsoleJson.QueueSummary queue, List<ConsoleJson.UnderWay> underWay,
                                        List<ConsoleJson.VolumeMounts> mounts) {
        List<ConsoleJson.QueuedVolume> queued = plan.queued().stream().map(volume -> new ConsoleJson.QueuedVolume(
                volume.volume(), volume.mountOrder().isPresent() ? volume.mountOrder().getAsInt() : null,
                volume.files().size(), volume.bytes(), volume.oldestDueSince().toString(),
                Math.max(0, Duration.between(volume.oldestDueSince(), plan.takenAt()).toSeconds()), volume.starving()))
                .toList();
        List<ConsoleJson.VolumeInProgress> inProgress = plan.inProgress().stream().map(volume ->
                new ConsoleJson.VolumeInProgress(volume.volume(), volume.instance(), volume.files().size(), volume.bytes(),
                        volume.claimedAt().toString(), volume.waiting().size())).toList();
        return new ConsoleJson.TapeView(true, "volumes as the tape plan has them, for every instance", queue, underWay,
                plan.takenAt().toString(), plan.maxSessions(), queued, inProgress, mounts);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
