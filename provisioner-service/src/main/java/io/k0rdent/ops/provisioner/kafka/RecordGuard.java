package io.k0rdent.ops.provisioner.kafka;

import io.k0rdent.ops.provisioner.ProvisionerProperties;
import io.k0rdent.ops.support.AttemptBudget;
import io.k0rdent.ops.contracts.deadletter.DeadLetterReason;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.serde.EventDecodingException;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every provisioner listener does around its work: decode or dead-letter, and retry a failing record
 * until its attempt budget is spent, then dead-letter it, so that no record blocks its partition and none is
 * skipped without a trace.
 */
@Singleton
public class RecordGuard {

    private static final Logger LOG = LoggerFactory.getLogger(RecordGuard.class);

    private final EventPublisher publisher;
    private final AttemptBudget attempts;

    public RecordGuard(EventPublisher publisher, ProvisionerProperties properties) {
        this.publisher = publisher;
        this.attempts = new AttemptBudget(properties.getMaxRecordAttempts());
    }

    /** The record's event; empty after dead-lettering a record that does not decode. */
    public Optional<ClusterEvent> decode(ConsumerRecord<String, byte[]> record) {
        try {
            return Optional.of(publisher.codec().decode(record));
        } catch (EventDecodingException e) {
            LOG.warn("Dead-lettering {}/{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            publisher.deadLetter(record, DeadLetterReason.of(e), e);
            return Optional.empty();
        }
    }

    /**
     * Runs {@code work} for the record. A failure is rethrown, which leaves the offset uncommitted so the error
     * strategy delivers the record again; the error strategy's own retry count is set high so that this budget,
     * not it, decides when to give up and dead-letter the record as {@code RETRIES_EXHAUSTED}.
     */
    public void process(ConsumerRecord<String, byte[]> record, Runnable work) {
        try {
            work.run();
            attempts.done(record);
        } catch (RuntimeException e) {
            if (attempts.failedMayRetry(record)) {
                throw e;
            }
            attempts.done(record);
            publisher.deadLetter(record, DeadLetterReason.RETRIES_EXHAUSTED, e);
        }
    }

    /** Dead-letters a readable event that cannot be acted on here. */
    public void unprocessable(ConsumerRecord<String, byte[]> record, String why) {
        publisher.deadLetter(record, DeadLetterReason.UNPROCESSABLE, new IllegalArgumentException(why));
    }
}
