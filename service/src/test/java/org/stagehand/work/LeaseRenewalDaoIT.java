package org.stagehand.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stagehand.testing.rows.CatalogEntryFixture.aCatalogEntry;
import static org.stagehand.testing.rows.StagedFileFixture.aStagedFile;
import static org.stagehand.testing.rows.Times.t0Plus;

import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.stagehand.testing.DaoTest;
import org.stagehand.testing.rows.Rows;

/** The lease thread's renewal of claims ({@link WorkDao#renew}) on {@code staged_file}. */
class LeaseRenewalDaoIT extends DaoTest {

    private WorkDao dao() {
        return jdbi.onDemand(WorkDao.class);
    }

    private void claimed(String fileId, String token) {
        aStagedFile(aCatalogEntry().withFileId(fileId).insert(jdbi)).claimedBy("me", token, t0Plus(60)).insert(jdbi);
    }

    @Test
    void renewingExtendsTheLeasesOfTheseClaimsOnlyAndSaysWhichFilesAreStillHeld() {
        claimed("a", "token-1");
        claimed("b", "token-2");
        claimed("other", "token-other");

        Map<String, String> held = dao().renew(List.of("token-1", "token-2", "token-gone"), t0Plus(180));

        assertThat(held).containsOnly(Map.entry("a", "token-1"), Map.entry("b", "token-2"));
        assertThat(Rows.stagedFile(jdbi, "a").orElseThrow().leaseExpiresAt()).isEqualTo(t0Plus(180));
        assertThat(Rows.stagedFile(jdbi, "other").orElseThrow().leaseExpiresAt()).isEqualTo(t0Plus(60));
    }

    @Test
    void aRowAnotherSessionHoldsLockedIsNotExtendedThisRoundButStillHeld() {
        claimed("locked", "token-1");
        claimed("free", "token-1");
        try (Handle holder = jdbi.open()) {
            holder.begin();
            holder.attach(WorkDao.class).lockClaims(List.of("locked"));

            Map<String, String> held = dao().renew(List.of("token-1"), t0Plus(180));

            assertThat(held).containsOnly(Map.entry("locked", "token-1"), Map.entry("free", "token-1"));
            holder.rollback();
        }
        assertThat(Rows.stagedFile(jdbi, "locked").orElseThrow().leaseExpiresAt()).isEqualTo(t0Plus(60));
        assertThat(Rows.stagedFile(jdbi, "free").orElseThrow().leaseExpiresAt()).isEqualTo(t0Plus(180));
    }

    @Test
    void aClaimTakenOverIsNoLongerHeldUnderItsOldToken() {
        claimed("f", "token-new");

        assertThat(dao().renew(List.of("token-old"), t0Plus(180))).isEmpty();
        assertThat(Rows.stagedFile(jdbi, "f").orElseThrow().leaseExpiresAt()).isEqualTo(t0Plus(60));
    }
}
