package io.k0rdent.ops.support.consumer;

import io.k0rdent.ops.contracts.deadletter.DeadLetterReason;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.serde.EventDecodingException;
import io.k0rdent.ops.support.fault.CrashPoint;
import io.k0rdent.ops.support.fault.CrashPoints;
import io.k0rdent.ops.support.telemetry.ConsumedRecord;
import io.k0rdent.ops.support.telemetry.EventTelemetry;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every service does around one consumed record, whatever it does with the event: inside the record's consumer
 * span (continuing the producer's trace, with the log fields and the consumed/failed counters of
 * {@link EventTelemetry}), decode it or dead-letter it ({@code UNDECODABLE}, {@code UNKNOWN_EVENT_TYPE}); hand the
 * event to the service's {@link EventHandler}; dead-letter an event it cannot act on ({@code UNPROCESSABLE}); on any
 * other failure, let {@link OnFailure} decide between delivering the record again and dead-lettering it; then pass
 * the {@link CrashPoint#AFTER_HANDLED} crash point.
 *
 * <p>{@link #consume} returns normally once the record is done with (handled or dead-lettered), so the caller's
 * offset commit comes after the effect; it throws only to have the record delivered again (or when the dead letter
 * itself cannot be sent). Committing is the caller's: a micronaut-kafka listener commits per record when its method
 * returns, the notifier when the record is settled.
 */
public final class ConsumerSkeleton {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerSkeleton.class);

    private final EventDecoder decoder;
    private final DeadLetterSink deadLetters;
    private final OnFailure onFailure;
    private final EventTelemetry telemetry;
    private final CrashPoints crashPoints;

    public ConsumerSkeleton(EventDecoder decoder, DeadLetterSink deadLetters, OnFailure onFailure,
                            EventTelemetry telemetry, CrashPoints crashPoints) {
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        this.crashPoints = Objects.requireNonNull(crashPoints, "crashPoints");
    }

    /** Handles one record inside its consumer span; see the class comment for what returning and throwing mean. */
    public void consume(ConsumerRecord<String, byte[]> record, EventHandler handler) {
        try (ConsumedRecord observed = telemetry.consume(record)) {
            decode(record, observed).ifPresent(event -> {
                observed.event(event.header().clusterName(), event.header().generation());
                handle(record, event, observed, handler);
            });
        }
    }

    /** The record's event; empty after dead-lettering a record that does not decode. */
    private Optional<ClusterEvent> decode(ConsumerRecord<String, byte[]> record, ConsumedRecord observed) {
        try {
            return Optional.of(decoder.decode(record));
        } catch (EventDecodingException e) {
            LOG.warn("Dead-lettering {}: {}", position(record), e.getMessage());
            deadLetter(record, observed, DeadLetterReason.of(e), e);
            return Optional.empty();
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record, ClusterEvent event, ConsumedRecord observed,
                        EventHandler handler) {
        try {
            handler.handle(event);
        } catch (UnprocessableEventException e) {
            onFailure.done(record);
            LOG.warn("Dead-lettering {}: cannot be acted on: {}", position(record), e.getMessage());
            deadLetter(record, observed, DeadLetterReason.UNPROCESSABLE, e);
            return;
        } catch (RuntimeException e) {
            Optional<DeadLetterReason> giveUp = onFailure.failed(record);
            if (giveUp.isEmpty()) {
                observed.failed("retry", e);
                // The caller's error handling (micronaut-kafka's error strategy) logs it and delivers it again.
                throw e;
            }
            // Forgotten before the dead letter is sent: should that send fail too, the record comes back with a
            // fresh budget instead of being dead-lettered without ever being tried again.
            onFailure.done(record);
            LOG.error("Dead-lettering {} as {}", position(record), giveUp.get(), e);
            deadLetter(record, observed, giveUp.get(), e);
            return;
        }
        onFailure.done(record);
        crashPoints.reach(CrashPoint.AFTER_HANDLED, () -> "handled " + position(record) + ", offset not committed");
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, ConsumedRecord observed, DeadLetterReason reason,
                            RuntimeException cause) {
        observed.failed(reason.name(), cause);
        telemetry.deadLettered(record.topic(), reason.name());
        deadLetters.deadLetter(record, reason, cause);
    }

    private static String position(ConsumerRecord<?, ?> record) {
        return record.topic() + "/" + record.partition() + "/" + record.offset();
    }
}
