package io.k0rdent.ops.provisioner.kafka;

import io.k0rdent.ops.provisioner.ProvisionerProperties;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Counts how often a record failed in this process. A failing record is processed again (its offset is not
 * committed) until the budget is spent; then it is dead-lettered with {@code RETRIES_EXHAUSTED}, so one record that
 * can never succeed does not stop its partition. AWS failures do not count here: they become
 * {@code ProvisioningFailed} events. This is for the rest (Kafka unavailable, a bug).
 */
@Singleton
public class AttemptBudget {

    private final int maxAttempts;
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();

    public AttemptBudget(ProvisionerProperties properties) {
        this.maxAttempts = properties.getMaxRecordAttempts();
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
