package org.stagehand.backend.hpss;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the tape-order benchmark (see {@link RecallBenchmark}) and holds the backend to its target:
 * within 5 % of the physical optimum. With {@code -Dstagehand.benchmark.full=true} it also runs
 * the backend with small batches, to show what the service's batch size does to mounts.
 */
class RecallBenchmarkTest {

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void tapeOrderedRecallStaysWithinFivePercentOfThePhysicalOptimum() throws Exception {
        boolean full = Boolean.getBoolean("stagehand.benchmark.full");
        RecallBenchmark benchmark = new RecallBenchmark(temp, 20_240_601L);

        RecallBenchmark.Result result = full ? benchmark.run(4, 250, 20) : benchmark.run(4, 250);

        String report = RecallBenchmark.toMarkdown(result);
        System.out.println(report);
        String reportPath = System.getProperty("stagehand.benchmark.report");
        if (reportPath != null) {
            Files.createDirectories(Path.of(reportPath).getParent());
            Files.writeString(Path.of(reportPath), report);
        }
        RecallBenchmark.Cost requestOrder = result.strategies().get(0);
        RecallBenchmark.Cost ours = result.strategies().get(1);
        assertThat(ours.mounts()).isEqualTo(RecallBenchmark.TAPES);
        assertThat(ours.ratioToOptimum()).isLessThanOrEqualTo(1.05);
        assertThat(requestOrder.ratioToOptimum()).isGreaterThan(ours.ratioToOptimum());
    }
}
