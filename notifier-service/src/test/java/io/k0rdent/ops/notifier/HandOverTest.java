package io.k0rdent.ops.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k0rdent.ops.contracts.event.Channel;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.notifier.NotificationServiceTest.MemoryRecorder;
import io.k0rdent.ops.notifier.NotificationServiceTest.SinkNotifier;
import io.k0rdent.ops.notifier.dedupe.DeliveryLedger;
import io.k0rdent.ops.notifier.delivery.DeliveryHooks;
import io.k0rdent.ops.notifier.delivery.DestinationWorker;
import io.k0rdent.ops.notifier.delivery.Notifier;
import io.k0rdent.ops.notifier.delivery.RateLimiter;
import io.k0rdent.ops.notifier.delivery.RetryPolicy;
import io.k0rdent.ops.notifier.delivery.SendOutcome;
import io.k0rdent.ops.notifier.delivery.Settlement;
import io.k0rdent.ops.notifier.digest.ClusterHealth;
import io.k0rdent.ops.notifier.digest.DigestWindow;
import io.k0rdent.ops.notifier.message.MessageRenderer;
import io.k0rdent.ops.notifier.message.OutgoingMessage;
import io.k0rdent.ops.notifier.routing.AuthorPolicy;
import io.k0rdent.ops.notifier.routing.NotificationRouter;
import io.k0rdent.ops.notifier.routing.RoutingPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a replica does with the notifications of partitions it loses in a rebalance (issue 18, item 7). */
class HandOverTest {

    private static final TopicPartition P0 = new TopicPartition("infrastructure", 0);
    private static final TopicPartition P1 = new TopicPartition("infrastructure", 1);

    private final MutableClock clock = new MutableClock(TestEvents.T0);
    private final DeliveryLedger ledger = new DeliveryLedger();
    private final Settlement settlement = new Settlement(new MemoryRecorder(), ledger, DeliveryHooks.NONE, clock);
    private final SinkNotifier sink = new SinkNotifier(new SendOutcome.Delivered());
    private final GatedNotifier gated = new GatedNotifier();
    private final RetryPolicy retry = new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(1));
    private DestinationWorker worker;

    @AfterEach
    void close() {
        gated.open.countDown();
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    void waitingNotificationsOfRevokedPartitionsAreRemovedUnsentUnsettledAndUnclaimed() {
        NotificationService service = service(sink);
        AtomicInteger settled = new AtomicInteger();
        ClusterEvent lost = TestEvents.provisioned(TestEvents.header("a"));
        service.accept(lost, record(P0, 7), settled::incrementAndGet);
        service.accept(TestEvents.provisioned(TestEvents.header("b")), record(P1, 3), settled::incrementAndGet);

        NotificationService.HandOver handOver = service.handOver(List.of(P0), Duration.ofSeconds(1));

        assertThat(handOver).isEqualTo(new NotificationService.HandOver(1, 0));
        assertThat(service.buffered()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(5));
        service.flushDue();
        await().untilAsserted(() -> assertThat(settled).hasValue(1));
        assertThat(sink.sent).singleElement()
                .satisfies(m -> assertThat(m.content().title()).startsWith("b: infrastructure provisioned"));
        // Should the partition come back, the same record is claimed and told again: nothing was recorded for it.
        assertThat(ledger.claim(lost.header().eventId(), "slack")).isTrue();
    }

    @Test
    void aHandOverWaitsForSendsOfRevokedPartitionsAlreadyUnderWay() throws Exception {
        NotificationService service = service(gated);
        AtomicInteger settled = new AtomicInteger();
        ClusterEvent sending = TestEvents.provisioned(TestEvents.header("a"));
        service.accept(sending, record(P0, 7), settled::incrementAndGet);
        clock.advance(Duration.ofSeconds(5));
        service.flushDue();
        assertThat(gated.sending.await(10, TimeUnit.SECONDS)).isTrue();

        // The send hangs: the wait ends at its timeout and says so.
        assertThat(service.handOver(List.of(P0), Duration.ofMillis(200)))
                .isEqualTo(new NotificationService.HandOver(0, 1));
        // Another partition's hand-over does not wait for it.
        assertThat(service.handOver(List.of(P1), Duration.ofSeconds(10)))
                .isEqualTo(new NotificationService.HandOver(0, 0));

        Thread release = new Thread(() -> {
            sleep(300);
            gated.open.countDown();
        });
        release.start();
        NotificationService.HandOver afterSend = service.handOver(List.of(P0), Duration.ofSeconds(30));

        assertThat(afterSend).isEqualTo(new NotificationService.HandOver(0, 0));
        // Recorded before the hand-over returned, so the next owner's ledger catch-up finds it.
        assertThat(settled).hasValue(1);
        assertThat(ledger.isSettled(sending.header().eventId(), "slack")).isTrue();
        release.join();
    }

    @Test
    void deliveriesOfRevokedPartitionsWaitingOnTheirDestinationAreTakenBackUnsentUnsettledAndUnclaimed()
            throws Exception {
        // Long profile of the fault suite, run 22: a destination answering 429 (or down) kept a delivery in its
        // worker's queue past the hand-over's wait; the new owner told the event, and so did this replica later.
        ThrottledNotifier throttled = new ThrottledNotifier();
        NotificationService service = service(throttled, patientRetry());
        AtomicInteger settled = new AtomicInteger();
        ClusterEvent lost = TestEvents.provisioned(TestEvents.header("a"));
        service.accept(lost, record(P0, 7), settled::incrementAndGet);
        clock.advance(Duration.ofSeconds(5));
        service.flushDue();
        await().until(() -> throttled.attempts.get() == 1);

        assertThat(service.handOver(List.of(P0), Duration.ofSeconds(10)))
                .isEqualTo(new NotificationService.HandOver(1, 0));

        assertThat(ledger.claim(lost.header().eventId(), "slack")).as("the new owner may claim it").isTrue();
        ledger.release(lost.header().eventId(), "slack");
        // The destination takes messages again: the next one goes out, and the one handed over does not.
        throttled.open();
        clock.advance(Duration.ofSeconds(3));
        service.accept(TestEvents.provisioned(TestEvents.header("b")), record(P1, 3), settled::incrementAndGet);
        clock.advance(Duration.ofSeconds(5));
        service.flushDue();
        await().untilAsserted(() -> assertThat(settled).hasValue(1));
        assertThat(throttled.delivered).singleElement()
                .satisfies(m -> assertThat(m.content().title()).startsWith("b: infrastructure provisioned"));
    }

    @Test
    void aWaitingDigestOfSeveralPartitionsKeepsOnlyTheEventsOfThePartitionsStillOwned() throws Exception {
        ThrottledNotifier throttled = new ThrottledNotifier();
        NotificationService service = service(throttled, patientRetry());
        AtomicInteger settled = new AtomicInteger();
        ClusterEvent lost = TestEvents.provisioned(TestEvents.header("a"));
        service.accept(lost, record(P0, 7), settled::incrementAndGet);
        service.accept(TestEvents.provisioned(TestEvents.header("b")), record(P1, 3), settled::incrementAndGet);
        clock.advance(Duration.ofSeconds(5));
        service.flushDue();
        await().until(() -> throttled.attempts.get() == 1);

        assertThat(service.handOver(List.of(P0), Duration.ofSeconds(10)))
                .isEqualTo(new NotificationService.HandOver(1, 0));
        assertThat(service.buffered()).as("b waits for its next window").isEqualTo(1);

        throttled.open();
        clock.advance(Duration.ofSeconds(6)); // b's new window, and the Retry-After
        service.flushDue();
        await().untilAsserted(() -> assertThat(settled).hasValue(1));
        assertThat(throttled.delivered).singleElement()
                .satisfies(m -> assertThat(m.content().title()).startsWith("b: infrastructure provisioned"));
        assertThat(ledger.claim(lost.header().eventId(), "slack")).isTrue();
    }

    /** Enough attempts, and a {@code Retry-After} honoured in full, that a throttled delivery stays queued. */
    private static RetryPolicy patientRetry() {
        return new RetryPolicy(10, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofHours(1));
    }

    private NotificationService service(Notifier notifier) {
        return service(notifier, retry);
    }

    private NotificationService service(Notifier notifier, RetryPolicy retry) {
        worker = new DestinationWorker("slack", notifier, new RateLimiter(Duration.ZERO), retry, clock, settlement);
        return new NotificationService(
                new NotificationRouter(new RoutingPolicy(List.of(), List.of("slack"), AuthorPolicy.disabled()),
                        Set.of("slack")),
                ledger, new ClusterHealth(Duration.ofMinutes(15)), new DigestWindow(Duration.ofSeconds(5), 1000),
                new MessageRenderer(null, null),
                Map.of("slack", new NotificationService.Destination("slack", Channel.SLACK, worker)),
                settlement, clock);
    }

    private static ConsumerRecord<String, byte[]> record(TopicPartition partition, long offset) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, "key", new byte[0]);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A destination that answers 429 with {@code Retry-After: 2} until the test opens it. The worker waits on the
     * test's clock, which moves only when the test says, so the throttled delivery stays queued until then.
     */
    private static final class ThrottledNotifier implements Notifier {
        final AtomicInteger attempts = new AtomicInteger();
        final java.util.Queue<OutgoingMessage> delivered = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private volatile boolean open;

        void open() {
            open = true;
        }

        @Override
        public Channel channel() {
            return Channel.SLACK;
        }

        @Override
        public SendOutcome send(OutgoingMessage message) {
            attempts.incrementAndGet();
            if (!open) {
                return new SendOutcome.RetryLater(Duration.ofSeconds(2), "HTTP 429");
            }
            delivered.add(message);
            return new SendOutcome.Delivered();
        }
    }

    /** A destination whose send blocks until the test opens the gate. */
    private static final class GatedNotifier implements Notifier {
        final CountDownLatch sending = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);

        @Override
        public Channel channel() {
            return Channel.SLACK;
        }

        @Override
        public SendOutcome send(OutgoingMessage message) {
            sending.countDown();
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new SendOutcome.Delivered();
        }
    }
}
