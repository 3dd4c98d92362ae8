package io.k0rdent.ops.faults;

import io.k0rdent.ops.contracts.deadletter.DeadLetterReason;
import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.contracts.event.NodesDrained;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.contracts.topic.Topic;
import io.k0rdent.ops.contracts.topic.Topics;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Puts poison on every topic a service consumes: bytes that are no CloudEvent, a well-formed CloudEvent of a type
 * nobody knows, and a well-formed event about a cluster that does not exist. The first two are keyed by a real
 * cluster, so they sit on that cluster's partition in front of its next events: if a consumer stopped at them, the
 * cluster would never converge.
 */
final class PoisonInjector {

    /** What was sent, and where; {@code expectedReason} is what each consumer of the topic must dead-letter it as. */
    record Poison(String kind, String topic, int partition, long offset, DeadLetterReason expectedReason,
                  Set<String> consumers) {
    }

    static final String GHOST = "flt-ghost";
    private static final String UNKNOWN_TYPE = "io.k0rdent.ops.cluster.definition.teleported.v1";

    private final String bootstrapServers;
    private final Random random;
    private final ClusterEventCodec codec = new ClusterEventCodec(URI.create("/k0rdent-ops/fault-suite"));

    PoisonInjector(String bootstrapServers, Random random) {
        this.bootstrapServers = bootstrapServers;
        this.random = random;
    }

    /** The consumer groups' services that read each topic, i.e. whose DLQ must hold a poison record of it. */
    static Set<String> consumersOf(Topic topic) {
        if (topic == Topics.DEFINITIONS || topic == Topics.BOOTSTRAP) {
            return Set.of("provisioner", "notifier");
        }
        if (topic == Topics.INFRASTRUCTURE) {
            return Set.of("bootstrap", "notifier");
        }
        return Set.of("notifier");
    }

    List<Poison> inject(List<String> realClusters) throws Exception {
        List<Poison> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            for (Topic topic : List.of(Topics.DEFINITIONS, Topics.REJECTIONS, Topics.INFRASTRUCTURE, Topics.BOOTSTRAP)) {
                byte[] key = realClusters.get(random.nextInt(realClusters.size())).getBytes(StandardCharsets.UTF_8);

                byte[] garbage = new byte[64];
                random.nextBytes(garbage);
                sent.add(send(producer, "undecodable", new ProducerRecord<>(topic.name(), key, garbage), topic,
                        DeadLetterReason.UNDECODABLE));

                ProducerRecord<byte[], byte[]> unknown = new ProducerRecord<>(topic.name(), key,
                        "{\"header\":{\"clusterName\":\"x\"}}".getBytes(StandardCharsets.UTF_8));
                ceHeaders(unknown, UNKNOWN_TYPE, new String(key, StandardCharsets.UTF_8));
                sent.add(send(producer, "unknown-type", unknown, topic, DeadLetterReason.UNKNOWN_EVENT_TYPE));
            }
            // A NodesDrained for a cluster nobody has: the provisioner is asked to terminate instances of a
            // cluster it has no record of, which it cannot act on.
            NodesDrained ghost = new NodesDrained(new EventHeader(UUID.randomUUID(), GHOST, 1, "0".repeat(40), null,
                    Instant.now(), Map.of(), null), List.of("i-0000000000000dead"));
            ProducerRecord<String, byte[]> ghostRecord = codec.toRecord(ghost);
            ProducerRecord<byte[], byte[]> bytes = new ProducerRecord<>(ghostRecord.topic(), null,
                    GHOST.getBytes(StandardCharsets.UTF_8), ghostRecord.value(), ghostRecord.headers());
            // Only the provisioner can tell that the cluster does not exist; the notifier, which keeps no cluster
            // registry, tells people about it like about any readable event (the checker expects that message).
            sent.add(send(producer, "unknown-cluster", bytes, Topics.BOOTSTRAP, DeadLetterReason.UNPROCESSABLE,
                    Set.of("provisioner")));
        }
        return sent;
    }

    private static void ceHeaders(ProducerRecord<byte[], byte[]> record, String type, String subject) {
        record.headers().add(new RecordHeader("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8)));
        record.headers().add(new RecordHeader("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)));
        record.headers().add(new RecordHeader("ce_source", "/k0rdent-ops/fault-suite".getBytes(StandardCharsets.UTF_8)));
        record.headers().add(new RecordHeader("ce_type", type.getBytes(StandardCharsets.UTF_8)));
        record.headers().add(new RecordHeader("ce_subject", subject.getBytes(StandardCharsets.UTF_8)));
        record.headers().add(new RecordHeader("content-type", "application/json".getBytes(StandardCharsets.UTF_8)));
    }

    private static Poison send(KafkaProducer<byte[], byte[]> producer, String kind, ProducerRecord<byte[], byte[]> record,
                               Topic topic, DeadLetterReason reason) throws Exception {
        return send(producer, kind, record, topic, reason, consumersOf(topic));
    }

    private static Poison send(KafkaProducer<byte[], byte[]> producer, String kind, ProducerRecord<byte[], byte[]> record,
                               Topic topic, DeadLetterReason reason, Set<String> consumers) throws Exception {
        RecordMetadata metadata = producer.send(record).get(30, TimeUnit.SECONDS);
        return new Poison(kind, topic.name(), metadata.partition(), metadata.offset(), reason, consumers);
    }
}
