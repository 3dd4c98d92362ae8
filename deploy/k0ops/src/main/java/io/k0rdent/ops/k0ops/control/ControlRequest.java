package io.k0rdent.ops.k0ops.control;

import io.k0rdent.ops.contracts.control.Suspensions;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.contracts.event.Initiator;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.k0ops.cli.KafkaOptions;
import io.k0rdent.ops.k0ops.inspect.AcceptedClusters;
import io.k0rdent.ops.k0ops.inspect.ClusterStatus;
import io.k0rdent.ops.k0ops.inspect.ClusterStatusFolder;
import io.k0rdent.ops.k0ops.inspect.LifecycleLog;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What {@code suspend}, {@code resume} and {@code reconcile} share: finding the cluster as {@code status} does,
 * its suspension as the services fold it, and publishing a control event with who and when.
 */
final class ControlRequest {

    private static final Pattern NAME_AND_EMAIL = Pattern.compile("\\s*(.*?)\\s*<([^>]+)>\\s*");

    private final KafkaOptions kafka;
    private final Clock clock;

    ControlRequest(KafkaOptions kafka, Clock clock) {
        this.kafka = kafka;
        this.clock = clock;
    }

    /** The cluster as {@code k0ops status} shows it and its suspension, if any. */
    record Observed(Optional<ClusterStatus> status, Suspensions suspensions) {
    }

    Observed observe(String cluster) {
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.reader()) {
            ClusterStatusFolder folder = new ClusterStatusFolder();
            LifecycleLog.read(consumer).events().forEach(folder::accept);
            AcceptedClusters.read(consumer).forEach(folder::acceptKnown);
            Suspensions suspensions = ControlLog.read(consumer);
            return new Observed(folder.clusters().stream().filter(c -> c.cluster().equals(cluster)).findFirst(),
                    suspensions);
        }
    }

    /** The envelope of a person's request: their name, the generation they saw, no Git commit. */
    EventHeader header(String cluster, long generation, String by) {
        return new EventHeader(UUID.randomUUID(), cluster, generation, null, null, clock.instant(), Map.of(),
                initiator(by));
    }

    static Initiator initiator(String by) {
        Matcher m = NAME_AND_EMAIL.matcher(by);
        return m.matches() ? new Initiator(m.group(1), m.group(2)) : new Initiator(by.strip(), null);
    }

    void publish(ClusterEvent event) throws Exception {
        ClusterEventCodec codec = new ClusterEventCodec(URI.create("/k0rdent-ops/k0ops"));
        ProducerRecord<String, byte[]> record = codec.toRecord(event);
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            producer.send(new ProducerRecord<>(record.topic(), null, record.key().getBytes(
                    java.nio.charset.StandardCharsets.UTF_8), record.value(), record.headers())).get();
        }
    }
}
