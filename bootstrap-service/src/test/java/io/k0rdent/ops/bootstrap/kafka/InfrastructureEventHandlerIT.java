package io.k0rdent.ops.bootstrap.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.bootstrap.support.Sandbox;
import io.k0rdent.ops.contracts.deadletter.DeadLetter;
import io.k0rdent.ops.contracts.deadletter.DeadLetterReason;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The handler between the listener and the domain: DLQ reasons, ignored types, stale generations. */
class InfrastructureEventHandlerIT {

    private static final String TOPIC = "k0rdent.cluster.infrastructure";

    private final ClusterEventCodec provisioner = new ClusterEventCodec(URI.create("/k0rdent-ops/provisioner"));
    private final MockProducer<String, byte[]> producer = new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
    private Sandbox sandbox;
    private InfrastructureEventHandler handler;
    private long offset;

    @BeforeEach
    void start() {
        sandbox = new Sandbox();
        handler = new InfrastructureEventHandler(sandbox.bootstrapper(),
                new BootstrapEventPublisher(producer, sandbox.properties(), Clock.systemUTC()), "k0rdent-bootstrap");
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private ConsumerRecord<String, byte[]> record(ClusterEvent event) {
        RecordHeaders headers = new RecordHeaders();
        byte[] value = provisioner.encode(TOPIC, headers, event);
        return new ConsumerRecord<>(TOPIC, 0, offset++, ConsumerRecord.NO_TIMESTAMP,
                org.apache.kafka.common.record.TimestampType.NO_TIMESTAMP_TYPE, -1, -1, event.key(), value, headers,
                java.util.Optional.empty());
    }

    @Test
    void unreadableRecordsAreDeadLetteredWithTheirReason() {
        RecordHeaders foreign = new RecordHeaders();
        foreign.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        foreign.add("ce_id", "x".getBytes(StandardCharsets.UTF_8));
        foreign.add("ce_type", "com.example.other.v1".getBytes(StandardCharsets.UTF_8));
        foreign.add("ce_source", "/other".getBytes(StandardCharsets.UTF_8));
        foreign.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));

        handler.handle(new ConsumerRecord<>(TOPIC, 0, 7, "c", "garbage".getBytes(StandardCharsets.UTF_8)));
        handler.handle(new ConsumerRecord<>(TOPIC, 0, 8, ConsumerRecord.NO_TIMESTAMP,
                org.apache.kafka.common.record.TimestampType.NO_TIMESTAMP_TYPE, -1, -1, "c", "{}".getBytes(StandardCharsets.UTF_8),
                foreign, java.util.Optional.empty()));

        List<ProducerRecord<String, byte[]>> sent = producer.history();
        assertThat(sent).extracting(ProducerRecord::topic).containsOnly("k0rdent.dlq.bootstrap");
        assertThat(sent).extracting(r -> DeadLetter.from(r.headers()).orElseThrow().reason())
                .containsExactly(DeadLetterReason.UNDECODABLE, DeadLetterReason.UNKNOWN_EVENT_TYPE);
        assertThat(DeadLetter.from(sent.get(0).headers()).orElseThrow().originalOffset()).isEqualTo(7);
        assertThat(sent.get(0).value()).isEqualTo("garbage".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void otherInfrastructureFactsAndStaleGenerationsAreSkipped() {
        Sandbox.Cluster cluster = sandbox.cluster("gens", 1, 1);
        handler.handle(record(Sandbox.provisioned(cluster, Sandbox.VERSION, 2)));
        assertThat(producer.history()).hasSize(1);
        ClusterEvent ready = new ClusterEventCodec(URI.create("/t")).decode(TOPIC, producer.history().get(0).headers(),
                producer.history().get(0).value());
        assertThat(ready).isInstanceOf(ClusterReady.class);
        long commands = sandbox.hosts().commands().size();

        handler.handle(record(Sandbox.provisioned(cluster, Sandbox.VERSION, 1)));
        handler.handle(record(new ProvisioningFailed(Sandbox.header("gens", 3, "failed"),
                ProvisioningFailed.FailureReason.THROTTLED, "RequestLimitExceeded", "vpc", "slow down", true)));

        assertThat(producer.history()).hasSize(1);
        assertThat(sandbox.hosts().commands()).hasSize((int) commands);
    }
}
