package io.k0rdent.ops.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k0rdent.ops.contracts.deadletter.DeadLetterReason;
import io.k0rdent.ops.contracts.event.Channel;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.notifier.dedupe.DeliveryLedger;
import io.k0rdent.ops.notifier.dedupe.LedgerEntry;
import io.k0rdent.ops.notifier.delivery.Delivery;
import io.k0rdent.ops.notifier.delivery.DeliveryHooks;
import io.k0rdent.ops.notifier.delivery.DeliveryRecorder;
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
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NotificationServiceTest {

    private final MutableClock clock = new MutableClock(TestEvents.T0);
    private final DeliveryLedger ledger = new DeliveryLedger();
    private final MemoryRecorder recorder = new MemoryRecorder();
    private final Settlement settlement = new Settlement(recorder, ledger, DeliveryHooks.NONE, clock);
    private final SinkNotifier slack = new SinkNotifier(new SendOutcome.Delivered());
    private final SinkNotifier mail = new SinkNotifier(new SendOutcome.Delivered());
    private final RetryPolicy retry = new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(1));
    private final DestinationWorker slackWorker =
            new DestinationWorker("slack", slack, new RateLimiter(Duration.ZERO), retry, clock, settlement);
    private final DestinationWorker mailWorker =
            new DestinationWorker("mail", mail, new RateLimiter(Duration.ZERO), retry, clock, settlement);
    private final NotificationService service = new NotificationService(
            new NotificationRouter(new RoutingPolicy(List.of(), List.of("slack", "mail"), AuthorPolicy.disabled()),
                    Set.of("slack", "mail")),
            ledger, new ClusterHealth(Duration.ofMinutes(15)), new DigestWindow(Duration.ofSeconds(5), 1000),
            new MessageRenderer(null, null),
            Map.of("slack", new NotificationService.Destination("slack", Channel.SLACK, slackWorker),
                    "mail", new NotificationService.Destination("mail", Channel.EMAIL, mailWorker)),
            settlement, clock);

    @AfterEach
    void close() {
        slackWorker.close();
        mailWorker.close();
    }

    @Test
    void aBurstOfTwoHundredBecomesOneMessagePerDestinationAndSettlesOnlyAfterIt() {
        AtomicInteger settled = new AtomicInteger();
        for (int i = 0; i < 200; i++) {
            service.accept(TestEvents.provisioned(TestEvents.header("c-" + i)), null, settled::incrementAndGet);
        }

        service.flushDue();
        assertThat(service.buffered()).isEqualTo(400);
        assertThat(settled).hasValue(0);

        clock.advance(Duration.ofSeconds(5));
        service.flushDue();

        await().untilAsserted(() -> assertThat(settled).hasValue(200));
        assertThat(slack.sent).singleElement().satisfies(m -> {
            assertThat(m.content().title()).isEqualTo("200 clusters: infrastructure provisioned");
            assertThat(m.subjects()).hasSize(200);
        });
        assertThat(mail.sent).hasSize(1);
        assertThat(ledger.size()).isEqualTo(400);
    }

    @Test
    void pairsAlreadyInTheLedgerAreNotSentAgain() {
        ClusterEvent event = TestEvents.ready("dev-01");
        ledger.remember(new LedgerEntry(event.header().eventId(), "slack", LedgerEntry.Status.DELIVERED, "dev-01",
                event.type().ceType(), null, TestEvents.T0, TestEvents.T0, 1, 3));
        AtomicInteger settled = new AtomicInteger();

        service.accept(event, null, settled::incrementAndGet);
        clock.advance(Duration.ofSeconds(5));
        service.flushDue();

        await().untilAsserted(() -> assertThat(settled).hasValue(1));
        assertThat(slack.sent).isEmpty();
        assertThat(mail.sent).hasSize(1);
    }

    @Test
    void theSameEventPublishedTwiceIsToldOnce() {
        ClusterEvent event = TestEvents.ready("dev-01");
        AtomicInteger settled = new AtomicInteger();

        service.accept(event, null, settled::incrementAndGet);
        service.accept(event, null, settled::incrementAndGet);
        clock.advance(Duration.ofSeconds(5));
        service.flushDue();

        await().untilAsserted(() -> assertThat(settled).hasValue(2));
        assertThat(slack.sent).singleElement().satisfies(m -> assertThat(m.subjects()).hasSize(1));
        service.accept(event, null, settled::incrementAndGet);
        assertThat(settled).hasValue(3);
        assertThat(service.buffered()).isZero();
    }

    @Test
    void staleEventsAreNotToldWhenAMaximumAgeIsSet() {
        NotificationService withMaxAge = new NotificationService(
                new NotificationRouter(new RoutingPolicy(List.of(), List.of("slack"), AuthorPolicy.disabled()),
                        Set.of("slack")),
                ledger, new ClusterHealth(Duration.ofMinutes(15)), new DigestWindow(Duration.ZERO, 10),
                new MessageRenderer(null, null),
                Map.of("slack", new NotificationService.Destination("slack", Channel.SLACK, slackWorker)),
                settlement, clock, Duration.ofHours(24));
        clock.advance(Duration.ofHours(25));
        AtomicInteger settled = new AtomicInteger();

        withMaxAge.accept(TestEvents.ready("old"), null, settled::incrementAndGet);
        withMaxAge.accept(TestEvents.ready(TestEvents.at(TestEvents.header("new"), clock.instant())), null,
                settled::incrementAndGet);
        withMaxAge.flushDue();

        await().untilAsserted(() -> assertThat(settled).hasValue(2));
        assertThat(slack.sent).extracting(m -> m.content().title()).containsExactly("new: ready");
    }

    @Test
    void everythingAlreadyDeliveredSettlesAtOnce() {
        ClusterEvent event = TestEvents.ready("dev-01");
        for (String destination : List.of("slack", "mail")) {
            ledger.remember(new LedgerEntry(event.header().eventId(), destination, LedgerEntry.Status.DELIVERED,
                    "dev-01", event.type().ceType(), null, TestEvents.T0, TestEvents.T0, 1, 3));
        }
        AtomicInteger settled = new AtomicInteger();

        service.accept(event, null, settled::incrementAndGet);

        assertThat(settled).hasValue(1);
        assertThat(service.buffered()).isZero();
    }

    @Test
    void aRepeatedFailureIsSuppressedAndTheRecoverySaysSo() {
        EventHeader first = TestEvents.header("dev-01");
        AtomicInteger settled = new AtomicInteger();
        service.accept(TestEvents.bootstrapFailed(first), null, settled::incrementAndGet);
        clock.advance(Duration.ofSeconds(5));
        service.flushDue();
        await().untilAsserted(() -> assertThat(slack.sent).hasSize(1));

        service.accept(TestEvents.bootstrapFailed(TestEvents.at(TestEvents.header("dev-01"),
                TestEvents.T0.plusSeconds(60))), null, settled::incrementAndGet);
        assertThat(settled).hasValue(2); // suppressed: settled without a message
        service.accept(TestEvents.ready(TestEvents.at(TestEvents.header("dev-01"), TestEvents.T0.plusSeconds(90))),
                null, settled::incrementAndGet);
        clock.advance(Duration.ofSeconds(5));
        service.flushDue();

        await().untilAsserted(() -> assertThat(slack.sent).hasSize(2));
        assertThat(slack.sent).extracting(m -> m.content().title()).containsExactly(
                "dev-01: bootstrap failed at JOIN_WORKERS",
                "dev-01: ready again after failing at bootstrap (JOIN_WORKERS)");
    }

    @Test
    void aPermanentFailureIsRecordedAndSettled() {
        SinkNotifier gone = new SinkNotifier(new SendOutcome.PermanentFailure("HTTP 404 no_service"));
        DestinationWorker goneWorker = new DestinationWorker("gone", gone, new RateLimiter(Duration.ZERO), retry, clock,
                settlement);
        try {
            NotificationService withGone = new NotificationService(
                    new NotificationRouter(new RoutingPolicy(List.of(), List.of("gone", "slack"),
                            AuthorPolicy.disabled()), Set.of("gone", "slack")),
                    ledger, new ClusterHealth(Duration.ofMinutes(15)), new DigestWindow(Duration.ZERO, 10),
                    new MessageRenderer(null, null),
                    Map.of("gone", new NotificationService.Destination("gone", Channel.WEBHOOK, goneWorker),
                            "slack", new NotificationService.Destination("slack", Channel.SLACK, slackWorker)),
                    settlement, clock);
            AtomicInteger settled = new AtomicInteger();

            withGone.accept(TestEvents.ready("dev-01"), null, settled::incrementAndGet);
            withGone.flushDue();

            await().untilAsserted(() -> assertThat(settled).hasValue(1));
            assertThat(recorder.failed).containsExactly("gone HTTP 404 no_service true");
            assertThat(slack.sent).hasSize(1);
        } finally {
            goneWorker.close();
        }
    }

    static final class SinkNotifier implements Notifier {
        private final SendOutcome outcome;
        final Queue<OutgoingMessage> sent = new ConcurrentLinkedQueue<>();

        SinkNotifier(SendOutcome outcome) {
            this.outcome = outcome;
        }

        @Override
        public Channel channel() {
            return Channel.SLACK;
        }

        @Override
        public SendOutcome send(OutgoingMessage message) {
            if (outcome instanceof SendOutcome.Delivered) {
                sent.add(message);
            }
            return outcome;
        }
    }

    static final class MemoryRecorder implements DeliveryRecorder {
        final Queue<String> delivered = new ConcurrentLinkedQueue<>();
        final Queue<String> failed = new ConcurrentLinkedQueue<>();

        @Override
        public void recordDelivered(Delivery delivery, List<LedgerEntry> entries) {
            delivered.add(delivery.destination());
        }

        @Override
        public void recordFailed(Delivery delivery, List<LedgerEntry> entries, String reason, boolean permanent) {
            failed.add(delivery.destination() + " " + reason + " " + permanent);
        }

        @Override
        public void forget(List<LedgerEntry> expired) {
        }

        @Override
        public void deadLetter(ConsumerRecord<String, byte[]> record, DeadLetterReason reason, Throwable cause) {
        }
    }
}
