package org.stagehand.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;
import org.stagehand.requests.LastKnownAnswers.Answer;
import org.stagehand.requests.LastKnownAnswers.DatabaseUnreachable;

class LastKnownAnswersTest {

    private final MetricRegistry metrics = new MetricRegistry();
    private final Map<UUID, String> database = new HashMap<>();
    private final UUID request = UUID.randomUUID();
    private boolean reachable = true;
    private LastKnownAnswers.Reader<String> reader = this::read;
    private final LastKnownAnswers<String> answers = LastKnownAnswers.create("test", 100, id -> reader.read(id),
            Clock.fixed(Instant.parse("2026-12-01T08:00:00Z"), ZoneOffset.UTC), metrics);

    private Optional<String> read(UUID id) {
        if (!reachable) {
            throw new ConnectionException(new SQLException("connection refused", "08001", new ConnectException()));
        }
        return Optional.ofNullable(database.get(id));
    }

    @Test
    void answersFromTheDatabaseWhileItCanBeReached() {
        database.put(request, "staging");

        Answer<String> answer = answers.answer(request).orElseThrow();

        assertThat(answer.value()).isEqualTo("staging");
        assertThat(answer.fromMemory()).isFalse();
        assertThat(answers.answer(UUID.randomUUID())).isEmpty();
    }

    @Test
    void whileTheDatabaseCannotBeReachedTheLastAnswerReadIsServedFromMemory() {
        database.put(request, "staging");
        answers.answer(request);
        reachable = false;

        Answer<String> answer = answers.answer(request).orElseThrow();

        assertThat(answer.value()).isEqualTo("staging");
        assertThat(answer.fromMemory()).isTrue();
        assertThat(answer.readAt()).isEqualTo(Instant.parse("2026-12-01T08:00:00Z"));
        assertThat(metrics.meter("stagehand.test.answered-from-memory").getCount()).isEqualTo(1);
    }

    @Test
    void aRequestNotKnownInMemoryDuringAnOutageIsA503() {
        reachable = false;

        assertThatThrownBy(() -> answers.answer(request))
                .isInstanceOf(DatabaseUnreachable.class)
                .satisfies(e -> assertThat(((DatabaseUnreachable) e).error().code()).isEqualTo(503));
        assertThat(metrics.meter("stagehand.test.unknown-during-outage").getCount()).isEqualTo(1);
    }

    @Test
    void aRequestRememberedAtItsCreationIsServedDuringAnOutage() {
        answers.remember(request, "staging");
        reachable = false;

        assertThat(answers.answer(request).orElseThrow().value()).isEqualTo("staging");
    }

    @Test
    void aChangedRequestIsReadAgainSoThatAnOutageShowsItsLatestState() {
        database.put(request, "staging");
        answers.answer(request);
        UUID createdElsewhere = UUID.randomUUID();
        database.put(createdElsewhere, "ready");
        database.put(request, "ready");

        answers.changed(List.of(request, createdElsewhere));
        answers.refreshChanged();
        reachable = false;

        assertThat(answers.answer(request).orElseThrow().value()).isEqualTo("ready");
        assertThat(answers.answer(createdElsewhere).orElseThrow().value()).isEqualTo("ready");
    }

    @Test
    void aNewRequestRememberedAtItsCommitIsNotReadAgainWhenItsCreationIsNotified() {
        answers.remember(request, "staging");
        UUID createdElsewhere = UUID.randomUUID();
        database.put(createdElsewhere, "staging");
        reader = id -> {
            if (id.equals(request) && reachable) {
                throw new AssertionError("a request remembered at its commit was read again");
            }
            return read(id);
        };

        answers.created(List.of(request, createdElsewhere));
        answers.refreshChanged();
        reachable = false;

        assertThat(answers.answer(request).orElseThrow().value()).isEqualTo("staging");
        assertThat(answers.answer(createdElsewhere).orElseThrow().value()).isEqualTo("staging");
    }

    @Test
    void aNewRequestChangedBeforeTheRefreshIsReadAgain() {
        answers.remember(request, "staging");
        database.put(request, "ready");

        answers.created(List.of(request));
        answers.changed(List.of(request));
        answers.refreshChanged();
        reachable = false;

        assertThat(answers.answer(request).orElseThrow().value()).isEqualTo("ready");
    }

    @Test
    void aChangeThatCannotBeReadDuringAnOutageIsReadOnceTheDatabaseIsBack() {
        database.put(request, "staging");
        answers.answer(request);
        database.put(request, "ready");
        reachable = false;
        answers.allChanged();

        answers.refreshChanged();
        assertThat(answers.answer(request).orElseThrow().value()).isEqualTo("staging");
        reachable = true;
        answers.refreshChanged();
        reachable = false;

        assertThat(answers.answer(request).orElseThrow().value()).isEqualTo("ready");
    }

    @Test
    void aRequestGoneFromTheDatabaseIsForgotten() {
        database.put(request, "ready");
        answers.answer(request);
        database.remove(request);

        answers.changed(List.of(request));
        answers.refreshChanged();
        reachable = false;

        assertThatThrownBy(() -> answers.answer(request)).isInstanceOf(DatabaseUnreachable.class);
    }

    @Test
    void aReadThatBeganEarlierDoesNotReplaceAnAnswerKeptLater() {
        database.put(request, "staging");
        reader = id -> {
            Optional<String> old = read(id);
            answers.remember(id, "ready"); // committed while this read was under way
            return old;
        };

        answers.answer(request);
        reader = this::read;
        reachable = false;

        assertThat(answers.answer(request).orElseThrow().value()).isEqualTo("ready");
    }

    @Test
    void aDatabaseFailureOtherThanBeingOutOfReachIsNotHidden() {
        database.put(request, "staging");
        answers.answer(request);
        reader = id -> {
            throw new UnableToExecuteStatementException(new SQLException("syntax error", "42601"), null);
        };

        assertThatThrownBy(() -> answers.answer(request)).isInstanceOf(UnableToExecuteStatementException.class);
    }

    @Test
    void aMemoryOfAnswersListingFilesIsBoundedByTheFilesTheyListNotByHowManyTheyAre() {
        // Answers of 1,000 files each: a bound of 100 answers would hold 100,000 files.
        LastKnownAnswers<String> perFile = LastKnownAnswers.listingFiles("per-file", 2500, String::length,
                id -> Optional.empty(), Clock.systemUTC(), metrics);
        for (int i = 0; i < 10; i++) {
            perFile.remember(UUID.randomUUID(), "f".repeat(1000));
        }
        perFile.remember(UUID.randomUUID(), "small");

        assertThat(perFile.weight()).isLessThanOrEqualTo(2500);
        assertThat(perFile.size()).isLessThanOrEqualTo(3);
        assertThat(metrics.getGauges().get("stagehand.per-file.remembered-files").getValue()).isEqualTo(perFile.weight());
    }

    @Test
    void aMemoryOfStatusAnswersCountsOneAnswerAsOne() {
        for (int i = 0; i < 150; i++) {
            answers.remember(UUID.randomUUID(), "a long answer of one request, whatever its length");
        }

        assertThat(answers.size()).isEqualTo(100);
        assertThat(answers.weight()).isEqualTo(100);
    }
}
