package io.k0rdent.ops.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k0rdent.ops.contracts.deadletter.DeadLetterReason;
import io.k0rdent.ops.contracts.event.Channel;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.notifier.dedupe.DeliveryLedger;
import io.k0rdent.ops.notifier.dedupe.LedgerEntry;
import io.k0rdent.ops.notifier.delivery.Delivery;
import io.k0rdent.ops.notifier.delivery.DeliveryHooks;
import io.k0rdent.ops.notifier.delivery.DeliveryRecorder;
import io.k0rdent.ops.notifier.delivery.DestinationWorker;
import io.k0rdent.ops.notifier.delivery.RateLimiter;
import io.k0rdent.ops.notifier.delivery.RetryPolicy;
import io.k0rdent.ops.notifier.delivery.SendOutcome;
import io.k0rdent.ops.notifier.delivery.Settlement;
import io.k0rdent.ops.notifier.digest.ClusterHealth;
import io.k0rdent.ops.notifier.digest.DigestWindow;
import io.k0rdent.ops.notifier.message.MessageRenderer;
import io.k0rdent.ops.notifier.routing.AuthorPolicy;
import io.k0rdent.ops.notifier.routing.NotificationRouter;
import io.k0rdent.ops.notifier.routing.RoutingPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A force-push rollback (issue 18 item 6): cluster {@code c} is created at commit A (generation 1), provisioned and
 * ready; deleted at commit B (generation 2) and destroyed; then {@code main} is force-pushed back to A, which
 * re-creates it at commit A with generation 3: the same commit, file, cluster and content as the first round, but a
 * new change with new event ids. Each change is told once per destination, the second round included; a
 * redelivered record (same event id) is told nothing again.
 */
class ForcePushRollbackTest {

    private static final Duration WINDOW = Duration.ofSeconds(5);

    private final MutableClock clock = new MutableClock(TestEvents.T0);
    private final DeliveryLedger ledger = new DeliveryLedger();
    private final EntryRecorder recorder = new EntryRecorder();
    private final Settlement settlement = new Settlement(recorder, ledger, DeliveryHooks.NONE, clock);
    private final NotificationServiceTest.SinkNotifier slack =
            new NotificationServiceTest.SinkNotifier(new SendOutcome.Delivered());
    private final NotificationServiceTest.SinkNotifier mail =
            new NotificationServiceTest.SinkNotifier(new SendOutcome.Delivered());
    private final RetryPolicy retry = new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(1));
    private final List<DestinationWorker> workers = new ArrayList<>();
    private final NotificationService service = service(ledger, settlement);

    @AfterEach
    void close() {
        workers.forEach(DestinationWorker::close);
    }

    @Test
    void theRollbackRoundIsToldLikeTheFirstAndARedeliveryIsToldNothing() {
        AtomicInteger settled = new AtomicInteger();
        List<ClusterEvent> history = TestEvents.forcePushRollback();
        for (ClusterEvent event : history) {
            clock.set(event.header().occurredAt().isAfter(clock.instant()) ? event.header().occurredAt()
                    : clock.instant());
            service.accept(event, null, settled::incrementAndGet);
            clock.advance(WINDOW);
            service.flushDue();
        }

        await().untilAsserted(() -> assertThat(settled).hasValue(history.size()));
        List<String> expected = List.of(
                "c: definition accepted, cluster will be created", "c: infrastructure provisioned (0 nodes in us-east-1)",
                "c: ready", "c: definition deleted, infrastructure will be destroyed", "c: infrastructure destroyed",
                "c: definition accepted, cluster will be created", "c: infrastructure provisioned (0 nodes in us-east-1)",
                "c: ready");
        assertThat(titles(slack)).containsExactlyElementsOf(expected);
        assertThat(titles(mail)).containsExactlyElementsOf(expected);
        assertThat(ledger.size()).isEqualTo(2 * history.size());

        assertRedeliveryTellsNothing(history);
    }

    @Test
    void aBacklogHoldingBothRoundsInOneDigestWindowStillTellsEachChangeOnItsOwn() {
        // The notifier was down during the rollback (or a new consumer group starts): every event of the three
        // changes arrives within one digest window. The two rounds share commit, cluster and event types.
        AtomicInteger settled = new AtomicInteger();
        List<ClusterEvent> history = TestEvents.forcePushRollback();
        clock.set(history.get(history.size() - 1).header().occurredAt());
        for (ClusterEvent event : history) {
            service.accept(event, null, settled::incrementAndGet);
        }
        clock.advance(WINDOW);
        service.flushDue();

        await().untilAsserted(() -> assertThat(settled).hasValue(history.size()));
        for (NotificationServiceTest.SinkNotifier sink : List.of(slack, mail)) {
            assertThat(sink.sent).as("one message per change").hasSize(history.size());
            assertThat(sink.sent).allSatisfy(m -> assertThat(m.subjects()).hasSize(1));
            assertThat(sink.sent).extracting(m -> m.subjects().get(0).eventId())
                    .containsExactlyInAnyOrderElementsOf(history.stream().map(e -> e.header().eventId()).toList());
            assertThat(titles(sink)).filteredOn(t -> t.equals("c: ready")).hasSize(2);
            assertThat(titles(sink)).filteredOn(t -> t.startsWith("c: definition accepted")).hasSize(2);
        }

        assertRedeliveryTellsNothing(history);
    }

    /** The same records again: to the same process (ledger in memory) and to a restarted one (ledger re-read). */
    private void assertRedeliveryTellsNothing(List<ClusterEvent> history) {
        int slackBefore = slack.sent.size();
        int mailBefore = mail.sent.size();
        AtomicInteger settled = new AtomicInteger();
        for (ClusterEvent event : history) {
            service.accept(event, null, settled::incrementAndGet);
        }
        assertThat(settled).as("redelivered records settle at once").hasValue(history.size());
        assertThat(service.buffered()).isZero();

        DeliveryLedger reloaded = new DeliveryLedger();
        recorder.entries.forEach(reloaded::remember);
        NotificationService restarted = service(reloaded, new Settlement(recorder, reloaded, DeliveryHooks.NONE, clock));
        AtomicInteger settledAfterRestart = new AtomicInteger();
        for (ClusterEvent event : history) {
            restarted.accept(event, null, settledAfterRestart::incrementAndGet);
        }
        clock.advance(WINDOW);
        restarted.flushDue();
        service.flushDue();
        assertThat(settledAfterRestart).hasValue(history.size());
        assertThat(restarted.buffered()).isZero();
        assertThat(slack.sent).hasSize(slackBefore);
        assertThat(mail.sent).hasSize(mailBefore);
    }

    private static List<String> titles(NotificationServiceTest.SinkNotifier sink) {
        return sink.sent.stream().map(m -> m.content().title()).toList();
    }

    private NotificationService service(DeliveryLedger ledger, Settlement settlement) {
        DestinationWorker slackWorker =
                new DestinationWorker("slack", slack, new RateLimiter(Duration.ZERO), retry, clock, settlement);
        DestinationWorker mailWorker =
                new DestinationWorker("mail", mail, new RateLimiter(Duration.ZERO), retry, clock, settlement);
        workers.add(slackWorker);
        workers.add(mailWorker);
        return new NotificationService(
                new NotificationRouter(new RoutingPolicy(List.of(), List.of("slack", "mail"), AuthorPolicy.disabled()),
                        Set.of("slack", "mail")),
                ledger, new ClusterHealth(Duration.ofMinutes(15)), new DigestWindow(WINDOW, 1000),
                new MessageRenderer(null, null),
                Map.of("slack", new NotificationService.Destination("slack", Channel.SLACK, slackWorker),
                        "mail", new NotificationService.Destination("mail", Channel.EMAIL, mailWorker)),
                settlement, clock);
    }

    /** Keeps the ledger entries it was given, as the deliveries topic does. */
    static final class EntryRecorder implements DeliveryRecorder {
        final Queue<LedgerEntry> entries = new ConcurrentLinkedQueue<>();

        @Override
        public void recordDelivered(Delivery delivery, List<LedgerEntry> written) {
            entries.addAll(written);
        }

        @Override
        public void recordFailed(Delivery delivery, List<LedgerEntry> written, String reason, boolean permanent) {
            entries.addAll(written);
        }

        @Override
        public void forget(List<LedgerEntry> expired) {
        }

        @Override
        public void deadLetter(ConsumerRecord<String, byte[]> record, DeadLetterReason reason, Throwable cause) {
        }
    }
}
