package io.k0rdent.ops.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Counts how often a record failed in this process. A failing record is processed again (its offset is not
 * committed) until the budget is spent; then the service dead-letters it with {@code RETRIES_EXHAUSTED}, so one
 * record that can never succeed does not stop its partition. Failures a service reports as events (an AWS error, a
 * failed bootstrap phase) do not count here; this is for the rest (Kafka unavailable, an API failing, a bug).
 *
 * <p>Services count themselves instead of relying on micronaut-kafka's retry count, because when that count is
 * spent micronaut-kafka only logs the error and commits the offset, which loses the record.
 */
public final class AttemptBudget {

    private final int maxAttempts;
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();

    public AttemptBudget(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max-record-attempts must be at least 1, not " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
    }

    /** Records a failure of {@code record}; answers whether it may be tried again. */
    public boolean failedMayRetry(ConsumerRecord<?, ?> record) {
        return failures.merge(key(record), 1, Integer::sum) < maxAttempts;
    }

    /** Forgets a record once it is done (processed or dead-lettered). */
    public void done(ConsumerRecord<?, ?> record) {
        failures.remove(key(record));
    }

    private static String key(ConsumerRecord<?, ?> record) {
        return record.topic() + "/" + record.partition() + "/" + record.offset();
    }
}
