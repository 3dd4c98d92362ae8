package io.k0rdent.ops.provisioner.kafka;

import io.k0rdent.ops.contracts.deadletter.DeadLetterReason;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.contracts.serde.EventDecodingException;
import io.k0rdent.ops.provisioner.ProvisionerProperties;
import io.k0rdent.ops.support.AttemptBudget;
import io.k0rdent.ops.support.telemetry.ConsumedRecord;
import io.k0rdent.ops.support.telemetry.EventTelemetry;
import io.k0rdent.ops.support.telemetry.StageTimer;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every provisioner listener does around its work: decode or dead-letter, and retry a failing record
 * until its attempt budget is spent, then dead-letter it, so that no record blocks its partition and none is
 * skipped without a trace. It also gives each record its telemetry: a consumer span continuing the producer's trace,
 * the log fields, and the consumed/failed counters.
 */
@Singleton
public class RecordGuard {

    private static final Logger LOG = LoggerFactory.getLogger(RecordGuard.class);

    private final EventPublisher publisher;
    private final AttemptBudget attempts;
    private final EventTelemetry telemetry;

    public RecordGuard(EventPublisher publisher, ProvisionerProperties properties, EventTelemetry telemetry) {
        this.publisher = publisher;
        this.attempts = new AttemptBudget(properties.getMaxRecordAttempts());
        this.telemetry = telemetry;
    }

    /**
     * Handles one record inside its consumer span: decodes it (or dead-letters it) and hands the event to
     * {@code handler}, with the record's telemetry for {@link #process}.
     */
    public void receive(ConsumerRecord<String, byte[]> record, BiConsumer<ClusterEvent, ConsumedRecord> handler) {
        try (ConsumedRecord observed = telemetry.consume(record)) {
            decode(record, observed).ifPresent(event -> {
                observed.event(event.header().clusterName(), event.header().generation());
                handler.accept(event, observed);
            });
        }
    }

    /** The record's event; empty after dead-lettering a record that does not decode. */
    private Optional<ClusterEvent> decode(ConsumerRecord<String, byte[]> record, ConsumedRecord observed) {
        try {
            return Optional.of(publisher.codec().decode(record));
        } catch (EventDecodingException e) {
            LOG.warn("Dead-lettering {}/{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            DeadLetterReason reason = DeadLetterReason.of(e);
            observed.failed(reason.name(), e);
            publisher.deadLetter(record, reason, e);
            return Optional.empty();
        }
    }

    /**
     * Runs one stage ({@code provision}, {@code destroy}) in a span of that name and times it; the outcome is a
     * failure when the work throws or answers {@code ProvisioningFailed}.
     */
    public List<? extends ClusterEvent> stage(String stage, Supplier<List<? extends ClusterEvent>> work) {
        StageTimer timer = telemetry.stage(stage);
        boolean success = false;
        try {
            List<? extends ClusterEvent> events = telemetry.inSpan(stage, work);
            success = events.stream().noneMatch(ProvisioningFailed.class::isInstance);
            return events;
        } finally {
            timer.record(success);
        }
    }

    /**
     * Runs {@code work} for the record. A failure is rethrown, which leaves the offset uncommitted so the error
     * strategy delivers the record again; the error strategy's own retry count is set high so that this budget,
     * not it, decides when to give up and dead-letter the record as {@code RETRIES_EXHAUSTED}.
     */
    public void process(ConsumerRecord<String, byte[]> record, ConsumedRecord observed, Runnable work) {
        try {
            work.run();
            attempts.done(record);
        } catch (RuntimeException e) {
            if (attempts.failedMayRetry(record)) {
                observed.failed("retry", e);
                throw e;
            }
            attempts.done(record);
            observed.failed(DeadLetterReason.RETRIES_EXHAUSTED.name(), e);
            publisher.deadLetter(record, DeadLetterReason.RETRIES_EXHAUSTED, e);
        }
    }

    /** Dead-letters a readable event that cannot be acted on here. */
    public void unprocessable(ConsumerRecord<String, byte[]> record, ConsumedRecord observed, String why) {
        IllegalArgumentException error = new IllegalArgumentException(why);
        observed.failed(DeadLetterReason.UNPROCESSABLE.name(), error);
        publisher.deadLetter(record, DeadLetterReason.UNPROCESSABLE, error);
    }
}
