package org.stagehand.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsolePagesTest {

    private static final String HOSTILE = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>";
    private final ObjectMapper mapper = new ObjectMapper();
    private final ConsolePages pages = new ConsolePages(mapper);

    @Test
    void everyHostileValueOfADrillDownIsEscaped() {
        ConsoleJson.RequestDetail detail = new ConsoleJson.RequestDetail("3b6da533-bc10-485e-bf2f-6cf7c03f4423",
                HOSTILE, HOSTILE, null, null,
                new ConsoleJson.StatusAnswer(java.util.UUID.fromString("3b6da533-bc10-485e-bf2f-6cf7c03f4423"), "failed",
                        null, null, HOSTILE, HOSTILE, null, List.of(), null, null),
                List.of(new ConsoleJson.FileDetail(HOSTILE, HOSTILE, "failed", 10L, HOSTILE, null, "failed", 1, null,
                        HOSTILE, false)),
                HOSTILE, ConsoleViews.commands(java.util.UUID.fromString("3b6da533-bc10-485e-bf2f-6cf7c03f4423"),
                        "http://127.0.0.1:8081", true));

        String page = pages.request(detail, true);

        assertThat(page).doesNotContain("<script>alert").doesNotContain("<img").contains("&lt;script&gt;alert(");
        // The cursor of the next page is a URL parameter, encoded, inside an escaped attribute.
        assertThat(page).contains("?after&#61;%3Cscript%3E");
        assertThat(page).contains("value=\"curl -X POST -H &quot;Authorization: Bearer $STAGEHAND_ADMIN_TOKEN&quot;");
    }

    @Test
    void theOverviewEscapesFailureReasonsAndInstanceNames() {
        ConsoleJson.Overview overview = new ConsoleJson.Overview("2026-12-01T10:00:00Z", HOSTILE,
                new ConsoleJson.RequestCounts(1, 0, 0, 1, 0), new ConsoleJson.FileCounts(0, 0, 0, 0, 1),
                List.of(new ConsoleJson.FailureReason(HOSTILE, 1)),
                new ConsoleJson.Throughput("2026-12-01T09:01:00Z", List.of(new ConsoleJson.Minute("2026-12-01T09:30:00Z", 3, 3_000)),
                        3, 3_000, 0.001, 1.0),
                new ConsoleJson.AreaUsage(null, null, null, null, 0L, null, null, null, 1_000),
                List.of(new ConsoleJson.Instance(HOSTILE, "2026-12-01T09:00:00Z", "2026-12-01T10:02:00Z",
                        "2026-12-01T10:00:00Z", 0, true, false, null)));

        String page = pages.overview(overview, false);

        assertThat(page).doesNotContain("<script>alert").doesNotContain("<img").contains("&lt;img src&#61;x");
        assertThat(page).contains("not measured yet").contains("not known here").contains("<rect x=\"");
    }

    @Test
    void theTapeViewShowsThePlansVolumesInMountOrderAndPerInstance() {
        java.time.Instant taken = java.time.Instant.parse("2026-12-01T10:00:00Z");
        org.stagehand.work.TapePlan.PlannedFile file = new org.stagehand.work.TapePlan.PlannedFile("f", "/hpss/f", 100,
                1, 0, java.util.Optional.empty());
        org.stagehand.work.TapePlan plan = new org.stagehand.work.TapePlan(taken, 4,
                List.of(new org.stagehand.work.TapePlan.QueuedVolume("VOL001", java.util.OptionalInt.of(1), List.of(file, file),
                                200, taken.minusSeconds(90), true),
                        new org.stagehand.work.TapePlan.QueuedVolume(HOSTILE, java.util.OptionalInt.empty(), List.of(file), 100,
                                taken.minusSeconds(5), false)),
                List.of(new org.stagehand.work.TapePlan.VolumeInProgress("VOL007", "host-a", List.of(file), 100,
                        taken.minusSeconds(30), List.of(file, file, file))));

        ConsoleJson.TapeView tape = ConsoleViews.volumes(plan, new ConsoleJson.QueueSummary(3, 300, null), List.of(),
                List.of(new ConsoleJson.VolumeMounts("VOL007", 2), new ConsoleJson.VolumeMounts("VOL009", 1)));

        assertThat(tape.volumesReported()).isTrue();
        assertThat(tape.drivesPerInstance()).isEqualTo(4);
        assertThat(tape.volumesQueued()).containsExactly(
                new ConsoleJson.QueuedVolume("VOL001", 1, 2, 200, "2026-12-01T09:58:30Z", 90, true),
                new ConsoleJson.QueuedVolume(HOSTILE, null, 1, 100, "2026-12-01T09:59:55Z", 5, false));
        assertThat(tape.volumesInProgress()).containsExactly(
                new ConsoleJson.VolumeInProgress("VOL007", "host-a", 1, 100, "2026-12-01T09:59:30Z", 3));
        String page = pages.tape(tape, false);
        assertThat(page).contains("<th scope=\"row\">VOL001</th>").contains("yes: mounted first").contains("not due")
                .contains("host-a").doesNotContain("<script>alert").doesNotContain("does not report volumes");
        assertThat(tape.mountsLast24h()).isEqualTo(3);
        assertThat(page).contains("<span data-key=\"mounts_last_24h\">3</span>")
                .contains("<th scope=\"row\">VOL009</th><td class=\"num\">1</td>");
    }

    @Test
    void sizesAreShownForPeople() {
        assertThat(ConsolePages.human(1023)).isEqualTo("1023 B");
        assertThat(ConsolePages.human(1536)).isEqualTo("1.5 KiB");
        assertThat(ConsolePages.human(3L << 40)).isEqualTo("3.0 TiB");
    }
}
