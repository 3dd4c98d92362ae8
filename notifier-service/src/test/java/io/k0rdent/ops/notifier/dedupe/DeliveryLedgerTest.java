package io.k0rdent.ops.notifier.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeliveryLedgerTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private final DeliveryLedger ledger = new DeliveryLedger();
    private final UUID event = UUID.randomUUID();

    @Test
    void aPairIsClaimedOnceUntilReleased() {
        assertThat(ledger.claim(event, "slack")).isTrue();
        assertThat(ledger.claim(event, "slack")).isFalse();
        assertThat(ledger.claim(event, "mail")).isTrue();

        ledger.release(event, "slack");

        assertThat(ledger.claim(event, "slack")).isTrue();
    }

    @Test
    void aSettledPairCannotBeClaimedAgain() {
        ledger.claim(event, "slack");
        ledger.remember(entry(event, "slack", NOW));

        assertThat(ledger.isSettled(event, "slack")).isTrue();
        assertThat(ledger.claim(event, "slack")).isFalse();
    }

    @Test
    void expiresEntriesRecordedBeforeTheCutoff() {
        UUID old = UUID.randomUUID();
        ledger.remember(entry(old, "slack", NOW.minusSeconds(3600)));
        ledger.remember(entry(event, "slack", NOW));

        assertThat(ledger.expire(NOW.minusSeconds(60))).extracting(LedgerEntry::eventId).containsExactly(old);
        assertThat(ledger.isSettled(old, "slack")).isFalse();
        assertThat(ledger.isSettled(event, "slack")).isTrue();
    }

    private static LedgerEntry entry(UUID eventId, String destination, Instant recordedAt) {
        return new LedgerEntry(eventId, destination, LedgerEntry.Status.DELIVERED, "c1",
                "io.k0rdent.ops.cluster.bootstrap.ready.v1", null, recordedAt, recordedAt, 1, 1);
    }
}
