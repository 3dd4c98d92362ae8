package io.k0rdent.ops.notifier.delivery;

import io.k0rdent.ops.notifier.dedupe.DeliveryLedger;
import io.k0rdent.ops.notifier.dedupe.LedgerEntry;
import io.k0rdent.ops.notifier.digest.ClusterHealth;
import io.k0rdent.ops.notifier.digest.PendingNotification;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Ends a delivery in the order that keeps duplicates to the unavoidable minimum: (1) the send happened,
 * (2) the outcome is written durably (ledger entry, audit event, dead letter; {@code acks=all}, one
 * transaction), (3) the in-memory ledger learns it, (4) the notifications are settled, which lets their
 * offsets be committed.
 *
 * <p>A crash before (2) means the send is repeated after restart: the only window in which a destination
 * can see a message twice, as narrow as one produce round trip. A crash after (2) repeats nothing, because
 * the redelivered record finds its pairs in the ledger.
 */
public final class Settlement implements DeliveryListener {

    private final DeliveryRecorder recorder;
    private final DeliveryLedger ledger;
    private final DeliveryHooks hooks;
    private final Clock clock;

    public Settlement(DeliveryRecorder recorder, DeliveryLedger ledger, DeliveryHooks hooks, Clock clock) {
        this.recorder = recorder;
        this.ledger = ledger;
        this.hooks = hooks;
        this.clock = clock;
    }

    @Override
    public void delivered(Delivery delivery) {
        List<LedgerEntry> entries = entries(delivery, LedgerEntry.Status.DELIVERED);
        recorder.recordDelivered(delivery, entries);
        finish(delivery, entries, true);
    }

    @Override
    public void failed(Delivery delivery, String reason, boolean permanent) {
        List<LedgerEntry> entries = entries(delivery, LedgerEntry.Status.FAILED);
        recorder.recordFailed(delivery, entries, reason, permanent);
        finish(delivery, entries, false);
    }

    private void finish(Delivery delivery, List<LedgerEntry> entries, boolean delivered) {
        entries.forEach(ledger::remember);
        hooks.afterRecorded(delivery, delivered);
        delivery.items().forEach(item -> item.ticket().settle());
    }

    private List<LedgerEntry> entries(Delivery delivery, LedgerEntry.Status status) {
        Instant now = clock.instant();
        int count = delivery.items().size();
        return delivery.items().stream().map(item -> entry(item, status, now, count)).toList();
    }

    private static LedgerEntry entry(PendingNotification item, LedgerEntry.Status status, Instant now, int count) {
        var header = item.notice().event().header();
        return new LedgerEntry(header.eventId(), item.route().destination(), status, header.clusterName(),
                item.notice().event().type().ceType(), ClusterHealth.failureDetail(item.notice().event()),
                header.occurredAt(), now, count, header.generation());
    }
}
