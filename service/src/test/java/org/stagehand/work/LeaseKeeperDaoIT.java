package org.stagehand.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stagehand.testing.rows.CatalogEntryFixture.aCatalogEntry;
import static org.stagehand.testing.rows.StagedFileFixture.aStagedFile;
import static org.stagehand.testing.rows.Times.T0;
import static org.stagehand.testing.rows.Times.t0Plus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.stagehand.testing.DaoTest;
import org.stagehand.testing.rows.Rows;

/** A lease thread's round ({@link LeaseKeeper}) against the claims in {@code staged_file}. */
class LeaseKeeperDaoIT extends DaoTest {

    private final List<Map.Entry<String, Set<String>>> lost = new CopyOnWriteArrayList<>();
    private final List<LeaseKeeper> keepers = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeConnections() throws InterruptedException {
        for (LeaseKeeper keeper : keepers) {
            keeper.stop();
        }
    }

    /** The claims under way here: their tokens, and each token's unsettled files as {@code unsettled} says. */
    private LeaseKeeper keeper(Set<String> tokens, Function<String, Set<String>> unsettled) {
        LeaseKeeper.Claims claims = new LeaseKeeper.Claims() {
            @Override
            public Set<String> tokens() {
                return tokens;
            }

            @Override
            public Set<String> unsettled(String token) {
                return unsettled.apply(token);
            }

            @Override
            public void lost(String token, Set<String> fileIds) {
                lost.add(Map.entry(token, fileIds));
            }

            @Override
            public void lapsing(Instant leasedUntil) {
            }
        };
        LeaseKeeper keeper = new LeaseKeeper(() -> jdbi.open().getConnection(), "epoch-1", Duration.ofSeconds(120),
                Duration.ofSeconds(40), Clock.fixed(T0, ZoneOffset.UTC), FreezePoints.NONE, claims);
        keepers.add(keeper);
        return keeper;
    }

    private void claimed(String fileId, String token) {
        aStagedFile(aCatalogEntry().withFileId(fileId).insert(jdbi)).claimedBy("me", token, t0Plus(60)).insert(jdbi);
    }

    @Test
    void aClaimTakenOverByAnotherInstanceIsLostAndItsWorkStopped() {
        claimed("f", "token-theirs");

        keeper(Set.of("token-mine"), token -> Set.of("f")).renewRound();

        assertThat(lost).containsExactly(Map.entry("token-mine", Set.of("f")));
    }

    @Test
    void aFileClaimedWhileTheRenewalRunsIsNotTakenForLost() {
        // The token is live before its claim commits; the claim commits, and its batch starts, while
        // the round runs: here, when the round first asks for the token's files.
        boolean[] committed = {false};
        LeaseKeeper keeper = keeper(Set.of("token-new"), token -> {
            if (!committed[0]) {
                committed[0] = true;
                claimed("held", "token-new");
            }
            return Set.of("held");
        });

        keeper.renewRound();

        assertThat(lost).as("the claim is this instance's").isEmpty();
        keeper.renewRound();
        assertThat(lost).isEmpty();
        assertThat(Rows.stagedFile(jdbi, "held").orElseThrow().leaseExpiresAt()).isEqualTo(t0Plus(120));
    }

    @Test
    void aFileSettledWhileTheRenewalRunsIsNotTakenForLost() {
        claimed("done", "token-1");
        boolean[] settled = {false};
        LeaseKeeper keeper = keeper(Set.of("token-1"), token -> {
            if (!settled[0]) {
                // Settled (its claim cleared) just after the round first asked for the token's files.
                settled[0] = true;
                jdbi.useHandle(handle -> handle.execute("UPDATE staged_file SET state = 'READY', lease_owner = NULL, "
                        + "lease_token = NULL, lease_expires_at = NULL WHERE file_id = 'done'"));
                return Set.of("done");
            }
            return Set.of();
        });

        keeper.renewRound();

        assertThat(lost).isEmpty();
    }
}
