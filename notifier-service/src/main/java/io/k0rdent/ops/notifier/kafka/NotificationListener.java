package io.k0rdent.ops.notifier.kafka;

import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.notifier.NotificationService;
import io.k0rdent.ops.notifier.delivery.DeliveryRecorder;
import io.k0rdent.ops.notifier.delivery.Ticket;
import io.k0rdent.ops.notifier.telemetry.InFlightClusters;
import io.k0rdent.ops.support.consumer.ConsumerSkeleton;
import io.k0rdent.ops.support.consumer.OnFailure;
import io.k0rdent.ops.support.fault.CrashPoints;
import io.k0rdent.ops.support.telemetry.EventTelemetry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The thin listener: registers the record's offset and hands the record to the {@link ConsumerSkeleton}, which
 * decodes it and gives the event to {@link NotificationService}. A record that does not decode, or whose event the
 * service cannot take, goes to the dead-letter topic at once ({@link OnFailure#deadLetterAtOnce()}: delivery retries
 * are the service's, per destination) and is settled; it never stops the partition. A dead letter that cannot be
 * sent leaves the record unsettled, so its offset is not committed and it is processed again after a restart.
 */
public final class NotificationListener {

    private final NotificationService service;
    private final OffsetTracker offsets;
    private final InFlightClusters inFlight;
    private final ConsumerSkeleton skeleton;

    public NotificationListener(ClusterEventCodec codec, NotificationService service, DeliveryRecorder recorder,
                                OffsetTracker offsets, EventTelemetry telemetry, InFlightClusters inFlight,
                                CrashPoints crashPoints) {
        this.service = service;
        this.offsets = offsets;
        this.inFlight = inFlight;
        this.skeleton = new ConsumerSkeleton(codec::decode, (record, reason, cause) -> {
            recorder.deadLetter(record, reason, cause);
            settle(record);
        }, OnFailure.deadLetterAtOnce(), telemetry, crashPoints);
    }

    /** Handles one record inside its consumer span, which continues the trace of whoever produced the event. */
    public void onRecord(ConsumerRecord<String, byte[]> record) {
        offsets.register(new TopicPartition(record.topic(), record.partition()), record.offset());
        Ticket ticket = () -> settle(record);
        skeleton.consume(record, event -> {
            inFlight.observe(event);
            service.accept(event, record, ticket);
        });
    }

    private void settle(ConsumerRecord<String, byte[]> record) {
        offsets.settle(new TopicPartition(record.topic(), record.partition()), record.offset());
    }
}
