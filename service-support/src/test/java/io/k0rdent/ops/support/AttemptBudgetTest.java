package io.k0rdent.ops.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class AttemptBudgetTest {

    private static ConsumerRecord<String, byte[]> record(long offset) {
        return new ConsumerRecord<>("k0rdent.cluster.infrastructure", 0, offset, "c", new byte[0]);
    }

    @Test
    void aRecordMayFailUntilItsBudgetIsSpentAndOtherRecordsCountApart() {
        AttemptBudget budget = new AttemptBudget(3);

        assertThat(budget.failedMayRetry(record(7))).isTrue();
        assertThat(budget.failedMayRetry(record(8))).isTrue();
        assertThat(budget.failedMayRetry(record(7))).isTrue();
        assertThat(budget.failedMayRetry(record(7))).isFalse();
    }

    @Test
    void aDoneRecordStartsAfresh() {
        AttemptBudget budget = new AttemptBudget(2);
        budget.failedMayRetry(record(1));
        budget.done(record(1));

        assertThat(budget.failedMayRetry(record(1))).isTrue();
        assertThat(budget.failedMayRetry(record(1))).isFalse();
    }

    @Test
    void oneAttemptMeansNoRetryAndZeroIsRefused() {
        assertThat(new AttemptBudget(1).failedMayRetry(record(0))).isFalse();
        assertThatThrownBy(() -> new AttemptBudget(0)).hasMessageContaining("at least 1");
    }
}
