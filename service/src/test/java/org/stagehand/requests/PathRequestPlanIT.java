package org.stagehand.requests;

import static org.assertj.core.api.Assertions.assertThat;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.stagehand.db.StateAttributes;
import org.stagehand.testing.DaoDatabase;
import org.stagehand.work.RequestFileState;

/**
 * How PostgreSQL runs the Tape REST door's count of a client's unfinished requests (the 429 check),
 * which it may otherwise plan as a semi-join against every waiting file of every request, paid by
 * each stage. A plan is PostgreSQL's alone, so this runs there only (PathRequestDaoIT checks the
 * count's answers on both databases).
 */
class PathRequestPlanIT {

    @Test
    void theUnfinishedCountProbesEachRequestInsteadOfJoiningEveryWaitingFile() {
        Jdbi jdbi = DaoDatabase.POSTGRESQL.emptied();

        String plan = jdbi.withHandle(handle -> String.join("\n",
                StateAttributes.defineOn(handle, StateAttributes.of(RequestFileState.class))
                        .createQuery("EXPLAIN " + PathRequestDao.UNFINISHED_REQUESTS)
                        .bind("client", "fts").bind("most", 10).mapTo(String.class).list()));

        assertThat(plan).contains("SubPlan").doesNotContain("Semi Join");
    }
}
