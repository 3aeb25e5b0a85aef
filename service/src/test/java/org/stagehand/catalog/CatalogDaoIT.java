package org.stagehand.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stagehand.testing.rows.CatalogEntryFixture.aCatalogEntry;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.Test;
import org.stagehand.catalog.CatalogDao.CatalogRow;
import org.stagehand.testing.DaoTest;
import org.stagehand.testing.rows.Rows;
import org.stagehand.testing.rows.Times;

class CatalogDaoIT extends DaoTest {

    private CatalogDao dao() {
        return jdbi.onDemand(CatalogDao.class);
    }

    /** The importer's choice: the byte-order query on PostgreSQL, the plain one on H2. */
    private Optional<CatalogEntry> firstBelow(String dir) {
        return database.isPostgres() ? dao().firstBelowPostgres(dir) : dao().firstBelow(dir);
    }

    @Test
    void findByStagingPathsReturnsTheEntriesOfKnownPathsAndLeavesUnknownOnesOut() {
        aCatalogEntry().withFileId("a").withStagingPath("genomes/a.fa").withBytes(7L).withChecksum("md5:0cc175b9c0f1b6a831c399e269772661").insert(jdbi);
        aCatalogEntry().withFileId("b").withStagingPath("genomes/b.fa").withBytes(null).insert(jdbi);
        aCatalogEntry().withFileId("c").withStagingPath("genomes/c.fa").insert(jdbi);

        List<CatalogEntry> found = dao().findByStagingPaths(List.of("genomes/a.fa", "genomes/b.fa", "genomes/none.fa"));

        assertThat(found).extracting(CatalogEntry::fileId).containsExactlyInAnyOrder("a", "b");
        CatalogEntry a = found.stream().filter(entry -> entry.fileId().equals("a")).findFirst().orElseThrow();
        assertThat(a.bytes().getAsLong()).isEqualTo(7L);
        assertThat(a.checksum()).isPresent();
        CatalogEntry b = found.stream().filter(entry -> entry.fileId().equals("b")).findFirst().orElseThrow();
        assertThat(b.bytes()).isEmpty();
        assertThat(b.checksum()).isEmpty();
    }

    @Test
    void firstBelowFindsAnEntryInsideTheDirectoryAndNoneBesideIt() {
        // Siblings whose names start like the directory's sort around "genomes/" in most collations.
        aCatalogEntry().withStagingPath("genomes-old/x.fa").insert(jdbi);
        aCatalogEntry().withStagingPath("genomes.txt").insert(jdbi);
        aCatalogEntry().withStagingPath("genomes0/y.fa").insert(jdbi);
        aCatalogEntry().withStagingPath("Genomes/z.fa").insert(jdbi);

        assertThat(firstBelow("genomes")).isEmpty();

        aCatalogEntry().withFileId("inside").withStagingPath("genomes/deep/er/w.fa").insert(jdbi);
        assertThat(firstBelow("genomes")).map(CatalogEntry::fileId).contains("inside");
        assertThat(firstBelow("genomes/deep")).map(CatalogEntry::fileId).contains("inside");
        assertThat(firstBelow("genomes/deep/er/w.fa")).isEmpty();
        assertThat(firstBelow("genome")).isEmpty();
    }

    @Test
    void updateChangesExistingEntriesAndSaysWhichAreNotThereYet() {
        aCatalogEntry().withFileId("known").withStagingPath("old/path.dat").withBytes(1L).insert(jdbi);
        Instant now = Times.t0Plus(60);

        int[] changed = dao().update(List.of(new CatalogRow("known", "new/path.dat", "/archive/new", 2L, null),
                new CatalogRow("unknown", "other.dat", "/archive/other", 3L, null)), now);

        assertThat(changed).containsExactly(1, 0);
        assertThat(dao().findByStagingPaths(List.of("new/path.dat"))).singleElement()
                .satisfies(entry -> {
                    assertThat(entry.fileId()).isEqualTo("known");
                    assertThat(entry.archiveLocation()).isEqualTo("/archive/new");
                    assertThat(entry.bytes().getAsLong()).isEqualTo(2L);
                });
        assertThat(dao().findByStagingPaths(List.of("old/path.dat"))).isEmpty();
        assertThat(dao().count()).isEqualTo(1);
    }

    @Test
    void insertAddsEveryRowOfTheBatch() {
        dao().insert(List.of(new CatalogRow("x", "x.dat", "/archive/x", null, null),
                new CatalogRow("y", "y.dat", "/archive/y", 5L, "md5:d41d8cd98f00b204e9800998ecf8427e")), Times.T0);

        assertThat(dao().count()).isEqualTo(2);
        assertThat(Rows.column(jdbi, "catalog_entry", "file_id")).containsExactly("x", "y");
    }

    @Test
    void twoIdsCannotShareAStagingPath() {
        aCatalogEntry().withFileId("first").withStagingPath("shared.dat").insert(jdbi);

        assertThatThrownBy(() -> dao().insert(List.of(new CatalogRow("second", "shared.dat", "/archive/s", null, null)),
                Times.T0)).isInstanceOf(JdbiException.class);
        assertThat(dao().count()).isEqualTo(1);
    }
}
