package org.stagehand.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.jdbi.v3.core.ConnectionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.stagehand.http.ApiException;
import org.stagehand.requests.RequestWriter.NewRequest;

/**
 * How requests are grouped into transactions. The store here is a recording stand-in for the
 * database transaction ({@link RequestIntake} against real databases is covered by the ITs).
 */
class RequestWriterTest {

    private final List<List<UUID>> transactions = Collections.synchronizedList(new ArrayList<>());
    private final List<String> callers = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch firstTransactionMayEnd = new CountDownLatch(1);
    private final ExecutorService clients = Executors.newCachedThreadPool();
    private volatile RuntimeException failure;
    private volatile UUID refuse;
    private volatile UUID poison;
    private RequestWriter writer;

    private Map<UUID, ApiException> record(List<NewRequest> requests) {
        callers.add(Thread.currentThread().getName());
        transactions.add(requests.stream().map(NewRequest::requestId).toList());
        if (transactions.size() == 1) {
            await().atMost(Duration.ofSeconds(10)).until(() -> firstTransactionMayEnd.getCount() == 0);
        }
        if (failure != null && transactions.size() > 1) {
            throw failure; // the first transaction is the one the tests hold open
        }
        if (poison != null && requests.stream().anyMatch(r -> r.requestId().equals(poison))) {
            throw new IllegalStateException("ERROR: invalid byte sequence for encoding \"UTF8\"");
        }
        return refuse != null && requests.stream().anyMatch(r -> r.requestId().equals(refuse))
                ? Map.of(refuse, ApiException.notFound("unknown IDs")) : Map.of();
    }

    @AfterEach
    void stop() throws InterruptedException {
        firstTransactionMayEnd.countDown();
        if (writer != null) {
            writer.stop();
        }
        clients.shutdownNow();
    }

    @Test
    void requestsThatQueueWhileTheWriterIsBusyShareOneTransaction() throws Exception {
        writer = started(1);
        Future<?> first = submit(request(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> transactions.size() == 1);
        List<NewRequest> waiting = IntStream.range(0, 5).mapToObj(i -> request(10)).toList();
        List<Future<?>> waitingReplies = waiting.stream().<Future<?>>map(this::submit).toList();
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.queued() == waiting.size());

        firstTransactionMayEnd.countDown();
        first.get(10, TimeUnit.SECONDS);
        for (Future<?> reply : waitingReplies) {
            reply.get(10, TimeUnit.SECONDS);
        }

        assertThat(transactions).hasSize(2);
        assertThat(transactions.get(1)).containsExactlyInAnyOrderElementsOf(waiting.stream().map(NewRequest::requestId).toList());
        assertThat(callers).allMatch(name -> name.startsWith("stagehand-request-writer-"));
    }

    @Test
    void aRefusedRequestIsRefusedAloneAndTheOthersOfItsTransactionAreStored() throws Exception {
        writer = started(1);
        firstTransactionMayEnd.countDown();
        NewRequest refused = request(2);
        refuse = refused.requestId();

        assertThatThrownBy(() -> writer.write(refused)).isInstanceOf(ApiException.class).hasMessage("unknown IDs");
        writer.write(request(2)); // returns: stored
    }

    @Test
    void anUnreachableDatabaseFailsEveryRequestOfTheTransactionAtOnce() throws Exception {
        writer = started(1);
        failure = new ConnectionException(new SQLException("database gone", "08006"));
        Future<?> first = submit(request(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> transactions.size() == 1);
        List<Future<?>> together = List.of(submit(request(10)), submit(request(10)));
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.queued() == 2);
        firstTransactionMayEnd.countDown();

        first.get(10, TimeUnit.SECONDS);
        for (Future<?> reply : together) {
            assertThatThrownBy(() -> reply.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("database gone");
        }
        assertThat(transactions).hasSize(2);
        assertThat(transactions.get(1)).hasSize(2);
    }

    @Test
    void aRequestThatFailsInTheDatabaseFailsAloneAndTheOthersOfItsTransactionAreStored() throws Exception {
        writer = started(1);
        Future<?> first = submit(request(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> transactions.size() == 1);
        NewRequest poisoned = request(3);
        poison = poisoned.requestId();
        Future<?> before = submit(request(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.queued() == 1);
        Future<?> failing = submit(poisoned);
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.queued() == 2);
        Future<?> after = submit(request(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.queued() == 3);
        firstTransactionMayEnd.countDown();

        first.get(10, TimeUnit.SECONDS);
        before.get(10, TimeUnit.SECONDS); // stored
        after.get(10, TimeUnit.SECONDS); // stored
        assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).hasRootCauseMessage(
                "ERROR: invalid byte sequence for encoding \"UTF8\"");
        assertThat(transactions.get(1)).as("the three were grouped").hasSize(3);
        assertThat(transactions.subList(2, transactions.size())).as("then stored one by one").hasSize(3)
                .allMatch(transaction -> transaction.size() == 1);
    }

    @Test
    void aLargeRequestIsStoredOnItsCallersThreadAlone() {
        writer = started(1);
        firstTransactionMayEnd.countDown();

        writer.write(request(RequestWriter.MOST_FILES_MERGED + 1));

        assertThat(callers).containsExactly(Thread.currentThread().getName());
    }

    @Test
    void requestsStillQueuedWhenTheWriterStopsAreAnswered503() throws Exception {
        writer = started(1);
        Future<?> first = submit(request(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> transactions.size() == 1);
        Future<?> queued = submit(request(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.queued() == 1);

        Thread stopper = new Thread(() -> {
            try {
                writer.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stopper.start();
        assertThatThrownBy(() -> queued.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ApiException.class)
                .cause().satisfies(cause -> assertThat(((ApiException) cause).error().code()).isEqualTo(503));
        firstTransactionMayEnd.countDown();
        first.get(10, TimeUnit.SECONDS);
        stopper.join(10_000);
        writer = null;
    }

    private RequestWriter started(int writers) {
        RequestWriter started = new RequestWriter(this::record, writers);
        started.start();
        return started;
    }

    private Future<?> submit(NewRequest request) {
        return clients.submit(() -> writer.write(request));
    }

    private static NewRequest request(int files) {
        return new NewRequest(UUID.randomUUID(), IntStream.range(0, files).mapToObj(i -> "f" + i).toList());
    }
}
