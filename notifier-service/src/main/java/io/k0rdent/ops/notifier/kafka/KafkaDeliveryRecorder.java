package io.k0rdent.ops.notifier.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.k0rdent.ops.contracts.deadletter.DeadLetter;
import io.k0rdent.ops.contracts.deadletter.DeadLetterReason;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.NotificationFailed;
import io.k0rdent.ops.contracts.event.NotificationSent;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.contracts.serde.EventJson;
import io.k0rdent.ops.notifier.dedupe.LedgerEntry;
import io.k0rdent.ops.notifier.delivery.Delivery;
import io.k0rdent.ops.notifier.delivery.DeliveryRecorder;
import io.k0rdent.ops.notifier.digest.PendingNotification;
import io.k0rdent.ops.support.consumer.RawRecords;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes outcomes to Kafka: ledger entries to the compacted deliveries topic, audit events to the
 * notifications topic, dead letters to the notifier's dead-letter topic. Each call is one transaction
 * ({@code acks=all}, idempotent), so a ledger entry never exists without its audit event or the other way
 * round, and the call returns only once the transaction is committed.
 *
 * <p>Calls are serialised: a producer runs one transaction at a time. Each takes a few milliseconds, far
 * below what the destinations' rate limits allow.
 */
public final class KafkaDeliveryRecorder implements DeliveryRecorder, AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final NotifierTopics topics;
    private final ClusterEventCodec codec;
    private final String consumerGroup;
    private final Clock clock;
    private final ObjectMapper json = EventJson.newMapper();

    /**
     * @param producerProps   bootstrap servers and any client settings; serialisers, idempotence and acks are set here
     * @param transactionalId unique per running instance
     */
    public KafkaDeliveryRecorder(Map<String, Object> producerProps, String transactionalId, NotifierTopics topics,
                                 ClusterEventCodec codec, String consumerGroup, Clock clock) {
        this.producer = new KafkaProducer<>(producerConfig(producerProps, transactionalId));
        this.producer.initTransactions();
        this.topics = topics;
        this.codec = codec;
        this.consumerGroup = consumerGroup;
        this.clock = clock;
    }

    /**
     * The configuration the producer is built with: {@code producerProps} (connection and security settings), then
     * what the transactional recorder needs whatever was configured.
     */
    public static Map<String, Object> producerConfig(Map<String, Object> producerProps, String transactionalId) {
        Map<String, Object> props = new HashMap<>(producerProps);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return props;
    }

    @Override
    public void recordDelivered(Delivery delivery, List<LedgerEntry> entries) {
        Instant now = clock.instant();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        entries.forEach(entry -> records.add(ledgerRecord(entry)));
        for (PendingNotification item : delivery.items()) {
            ClusterEvent subject = item.notice().event();
            records.add(audit(new NotificationSent(
                    subject.header().causing("notified/" + delivery.destination(), now),
                    subject.header().eventId(), subject.type().ceType(), delivery.channel(), delivery.destination(),
                    delivery.items().size())));
        }
        publish(records);
    }

    @Override
    public void recordFailed(Delivery delivery, List<LedgerEntry> entries, String reason, boolean permanent) {
        Instant now = clock.instant();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        entries.forEach(entry -> records.add(ledgerRecord(entry)));
        for (PendingNotification item : delivery.items()) {
            ClusterEvent subject = item.notice().event();
            records.add(audit(new NotificationFailed(
                    subject.header().causing("notified/" + delivery.destination(), now),
                    subject.header().eventId(), subject.type().ceType(), delivery.channel(), delivery.destination(),
                    reason, permanent)));
            if (item.source() != null) {
                ConsumerRecord<String, byte[]> source = item.source();
                DeadLetter letter = new DeadLetter(source.topic(), source.partition(), source.offset(), consumerGroup,
                        permanent ? DeadLetterReason.PERMANENT_DELIVERY_FAILURE : DeadLetterReason.RETRIES_EXHAUSTED,
                        "destination " + delivery.destination() + ": " + reason, null, now);
                records.add(letter.toRecord(topics.deadLetterTopic(), RawRecords.bytesKeyed(source)));
            }
        }
        publish(records);
    }

    @Override
    public void forget(List<LedgerEntry> expired) {
        if (expired.isEmpty()) {
            return;
        }
        publish(expired.stream().map(entry -> new ProducerRecord<byte[], byte[]>(topics.deliveries(),
                entry.key().getBytes(StandardCharsets.UTF_8), null)).toList());
    }

    @Override
    public void deadLetter(ConsumerRecord<String, byte[]> record, DeadLetterReason reason, Throwable cause) {
        DeadLetter letter = DeadLetter.of(record, consumerGroup, reason, cause, clock.instant());
        publish(List.of(letter.toRecord(topics.deadLetterTopic(), RawRecords.bytesKeyed(record))));
    }

    private ProducerRecord<byte[], byte[]> ledgerRecord(LedgerEntry entry) {
        try {
            return new ProducerRecord<>(topics.deliveries(), entry.key().getBytes(StandardCharsets.UTF_8),
                    json.writeValueAsBytes(entry));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a ledger entry", e);
        }
    }

    private ProducerRecord<byte[], byte[]> audit(ClusterEvent event) {
        Headers headers = new RecordHeaders();
        byte[] value = codec.encode(topics.notifications(), headers, event);
        return new ProducerRecord<>(topics.notifications(), null, event.key().getBytes(StandardCharsets.UTF_8), value,
                headers);
    }

    private synchronized void publish(List<ProducerRecord<byte[], byte[]>> records) {
        producer.beginTransaction();
        try {
            records.forEach(producer::send);
            producer.commitTransaction();
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException fatal) {
            // The producer cannot continue; the outcome is not recorded and will be redone after a restart.
            throw fatal;
        } catch (KafkaException e) {
            producer.abortTransaction();
            throw e;
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
