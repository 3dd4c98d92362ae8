package io.k0rdent.ops.notifier.kafka;

import io.k0rdent.ops.contracts.deadletter.DeadLetterReason;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.notifier.telemetry.InFlightClusters;
import io.k0rdent.ops.support.telemetry.ConsumedRecord;
import io.k0rdent.ops.support.telemetry.EventTelemetry;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.contracts.serde.EventDecodingException;
import io.k0rdent.ops.notifier.NotificationService;
import io.k0rdent.ops.notifier.delivery.DeliveryRecorder;
import io.k0rdent.ops.notifier.delivery.Ticket;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin listener: registers the record's offset, decodes it with {@link ClusterEventCodec} and hands the
 * event to {@link NotificationService}. A record that does not decode goes to the dead-letter topic at once
 * and is settled; it never stops the partition.
 */
public final class NotificationListener {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationListener.class);

    private final ClusterEventCodec codec;
    private final NotificationService service;
    private final DeliveryRecorder recorder;
    private final OffsetTracker offsets;
    private final EventTelemetry telemetry;
    private final InFlightClusters inFlight;

    public NotificationListener(ClusterEventCodec codec, NotificationService service, DeliveryRecorder recorder,
                                OffsetTracker offsets, EventTelemetry telemetry, InFlightClusters inFlight) {
        this.telemetry = telemetry;
        this.inFlight = inFlight;
        this.codec = codec;
        this.service = service;
        this.recorder = recorder;
        this.offsets = offsets;
    }

    /** Handles one record inside its consumer span, which continues the trace of whoever produced the event. */
    public void onRecord(ConsumerRecord<String, byte[]> record) {
        try (ConsumedRecord observed = telemetry.consume(record)) {
            onRecord(record, observed);
        }
    }

    private void onRecord(ConsumerRecord<String, byte[]> record, ConsumedRecord observed) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        long offset = record.offset();
        offsets.register(partition, offset);
        Ticket ticket = () -> offsets.settle(partition, offset);
        ClusterEvent event;
        try {
            event = codec.decode(record);
        } catch (EventDecodingException e) {
            LOG.warn("Dead-lettering {}/{}/{}: {}", record.topic(), record.partition(), offset, e.getMessage());
            DeadLetterReason reason = DeadLetterReason.of(e);
            observed.failed(reason.name(), e);
            telemetry.deadLettered(record.topic(), reason.name());
            recorder.deadLetter(record, reason, e);
            ticket.settle();
            return;
        }
        observed.event(event.header().clusterName(), event.header().generation());
        inFlight.observe(event);
        try {
            service.accept(event, record, ticket);
        } catch (RuntimeException e) {
            observed.failed(DeadLetterReason.UNPROCESSABLE.name(), e);
            telemetry.deadLettered(record.topic(), DeadLetterReason.UNPROCESSABLE.name());
            LOG.error("Dead-lettering {}/{}/{}: cannot process", record.topic(), record.partition(), offset, e);
            recorder.deadLetter(record, DeadLetterReason.UNPROCESSABLE, e);
            ticket.settle();
        }
    }
}
