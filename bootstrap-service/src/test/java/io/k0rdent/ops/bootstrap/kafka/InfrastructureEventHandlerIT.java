package io.k0rdent.ops.bootstrap.kafka;

import io.k0rdent.ops.support.AttemptBudget;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k0rdent.ops.bootstrap.support.BootstrapSandbox;
import io.k0rdent.ops.contracts.deadletter.DeadLetter;
import io.k0rdent.ops.contracts.deadletter.DeadLetterReason;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.contracts.event.NodesRetirementRequested;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The handler between the listener and the domain: DLQ reasons, ignored types, stale generations, and records that
 * keep failing.
 */
class InfrastructureEventHandlerIT {

    private static final String TOPIC = "k0rdent.cluster.infrastructure";

    private final ClusterEventCodec provisioner = new ClusterEventCodec(URI.create("/k0rdent-ops/provisioner"));
    private final MockProducer<String, byte[]> producer = new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
    private BootstrapSandbox sandbox;
    private InfrastructureEventHandler handler;
    private long offset;

    @BeforeEach
    void start() {
        sandbox = new BootstrapSandbox();
        handler = new InfrastructureEventHandler(sandbox.bootstrapper(),
                new BootstrapEventPublisher(producer, sandbox.properties(), Clock.systemUTC()), "k0rdent-bootstrap",
                new AttemptBudget(2));
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

    /** Retries due a millisecond after each failure, at most {@code attempts} in a row. */
    private static io.k0rdent.ops.bootstrap.phase.BootstrapRetries retries(int attempts) {
        return new io.k0rdent.ops.bootstrap.phase.BootstrapRetries(new io.k0rdent.ops.support.retry.RetryBackoff(
                java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(1), attempts, () -> 0.5), Clock.systemUTC());
    }

    /** A handler whose retries come due a millisecond after each failure, at most {@code attempts} in a row. */
    private InfrastructureEventHandler retrying(int attempts) {
        return new InfrastructureEventHandler(sandbox.bootstrapper(),
                new BootstrapEventPublisher(producer, sandbox.properties(), Clock.systemUTC()), "k0rdent-bootstrap",
                new AttemptBudget(2), new io.k0rdent.ops.support.telemetry.EventTelemetry(
                        io.opentelemetry.api.OpenTelemetry.noop(),
                        new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), "bootstrap"),
                cluster -> false, retries(attempts));
    }

    private List<io.k0rdent.ops.contracts.event.BootstrapEvent> published() {
        ClusterEventCodec bootstrap = new ClusterEventCodec(BootstrapEventPublisher.SOURCE);
        return producer.history().stream().filter(r -> r.topic().equals("k0rdent.cluster.bootstrap"))
                .map(r -> (io.k0rdent.ops.contracts.event.BootstrapEvent) bootstrap.decode(new ConsumerRecord<>(
                        r.topic(), 0, 0, ConsumerRecord.NO_TIMESTAMP,
                        org.apache.kafka.common.record.TimestampType.NO_TIMESTAMP_TYPE, -1, -1, r.key(), r.value(),
                        r.headers(), java.util.Optional.empty()))).toList();
    }

    @Test
    void aRetryableFailureIsTriedAgainByItselfOnceItsBackoffHasPassedAndCountsItsAttempts() throws Exception {
        // Issue 18 item 4: a retryable BootstrapFailed was final; only a Git change moved the cluster on.
        InfrastructureEventHandler retrying = retrying(3);
        BootstrapSandbox.Cluster cluster = sandbox.cluster("flaky", 1, 1);
        // The worker's download fails twice (a mirror hiccup), then works.
        cluster.host(1).fail(new io.k0rdent.ops.sandbox.hosts.Fault("curl", 22, "curl: (22) 503", 2));

        retrying.handle(record(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1)));
        Thread.sleep(20);
        retrying.retryDue();
        Thread.sleep(20);
        retrying.retryDue();

        List<io.k0rdent.ops.contracts.event.BootstrapEvent> events = published();
        assertThat(events).hasSize(3);
        assertThat(events.get(0)).isInstanceOfSatisfying(io.k0rdent.ops.contracts.event.BootstrapFailed.class, f -> {
            assertThat(f.retry().attempt()).isEqualTo(1);
            assertThat(f.retry().nextAt()).isNotNull();
        });
        assertThat(events.get(1)).isInstanceOfSatisfying(io.k0rdent.ops.contracts.event.BootstrapFailed.class,
                f -> assertThat(f.retry().attempt()).isEqualTo(2));
        assertThat(events.get(2)).isInstanceOf(ClusterReady.class);
        // The second failure in the row is a fact of its own: consumers deduplicating by id still hear of it.
        assertThat(events.get(1).header().eventId()).isNotEqualTo(events.get(0).header().eventId());

        Thread.sleep(20);
        retrying.retryDue();
        assertThat(published()).as("nothing is due once Ready").hasSize(3);
    }

    @Test
    void aClusterWhosePartitionMovesToAnotherReplicaIsRetriedThereNotHere() throws Exception {
        // Issue 18 item 7: with two replicas, a retry kept by the replica that lost the partition would run beside
        // the new owner's work on the same cluster (two bootstraps over one cluster's SSH sessions at once).
        InfrastructureEventHandler retrying = retrying(3);
        BootstrapSandbox.Cluster cluster = sandbox.cluster("moving", 1, 1);
        cluster.host(1).fail(new io.k0rdent.ops.sandbox.hosts.Fault("curl", 22, "curl: (22) 503", 2));
        retrying.handle(record(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1)));
        assertThat(published()).singleElement().isInstanceOf(io.k0rdent.ops.contracts.event.BootstrapFailed.class);

        // Another partition moving away changes nothing for this cluster...
        retrying.release(List.of(new org.apache.kafka.common.TopicPartition(TOPIC, 5)));
        Thread.sleep(20);
        retrying.retryDue();
        assertThat(published()).hasSize(2);

        // ...its own partition moving away drops its retry here: the new owner consumes from the committed offset.
        retrying.release(List.of(new org.apache.kafka.common.TopicPartition(TOPIC, 0)));
        Thread.sleep(20);
        retrying.retryDue();
        assertThat(published()).hasSize(2);
    }

    @Test
    void retriesStopWhenTheirAttemptsAreSpentAndAreDroppedWhenTheClusterMovesOn() throws Exception {
        InfrastructureEventHandler retrying = retrying(1);
        BootstrapSandbox.Cluster cluster = sandbox.cluster("broken", 1, 1);
        cluster.host(1).fail(new io.k0rdent.ops.sandbox.hosts.Fault("curl", 22, "curl: (22) 503", 100));

        retrying.handle(record(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1)));
        Thread.sleep(20);
        retrying.retryDue();
        Thread.sleep(20);
        retrying.retryDue();

        List<io.k0rdent.ops.contracts.event.BootstrapEvent> events = published();
        assertThat(events).hasSize(2);
        assertThat(((io.k0rdent.ops.contracts.event.BootstrapFailed) events.get(1)).retry())
                .as("the second failure in a row is the last one retried by itself")
                .isEqualTo(new io.k0rdent.ops.contracts.event.FailureRetry(2, null));

        // A pending retry of an older generation is dropped when a newer one arrives.
        BootstrapSandbox.Cluster other = sandbox.cluster("moving", 1, 1);
        other.host(1).fail(new io.k0rdent.ops.sandbox.hosts.Fault("curl", 22, "curl: (22) 503", 1));
        retrying.handle(record(BootstrapSandbox.provisioned(other, BootstrapSandbox.VERSION, 1)));
        retrying.handle(record(BootstrapSandbox.provisioned(other, BootstrapSandbox.VERSION, 2)));
        int before = published().size();
        Thread.sleep(20);
        retrying.retryDue();
        assertThat(published()).hasSize(before);
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
    void aRecordThatKeepsFailingIsDeadLetteredOnceItsBudgetIsSpentAndOnlyReturnsWhenTheDeadLetterIsSent() {
        Set<String> unavailable = ConcurrentHashMap.newKeySet();
        MockProducer<String, byte[]> flaky = new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
                if (unavailable.contains(record.topic())) {
                    throw new KafkaException(record.topic() + " is unavailable");
                }
                return super.send(record, callback);
            }
        };
        InfrastructureEventHandler twoAttempts = new InfrastructureEventHandler(sandbox.bootstrapper(),
                new BootstrapEventPublisher(flaky, sandbox.properties(), Clock.systemUTC()), "k0rdent-bootstrap",
                new AttemptBudget(2));
        // Neither cluster has a kubeconfig Secret: their retirements are answered with BootstrapFailed.
        ConsumerRecord<String, byte[]> first = record(retirement(sandbox.cluster("first", 1, 1)));
        ConsumerRecord<String, byte[]> second = record(retirement(sandbox.cluster("second", 1, 1)));

        // The event cannot be published: delivered again once, then dead-lettered, and the call returns normally.
        unavailable.add("k0rdent.cluster.bootstrap");
        assertThatThrownBy(() -> twoAttempts.handle(first)).hasMessageContaining("k0rdent.cluster.bootstrap is unavailable");
        twoAttempts.handle(first);
        assertThat(flaky.history()).singleElement().satisfies(letter -> {
            assertThat(letter.topic()).isEqualTo("k0rdent.dlq.bootstrap");
            assertThat(letter.key()).isEqualTo("first");
            assertThat(letter.value()).isEqualTo(first.value());
            DeadLetter dead = DeadLetter.from(letter.headers()).orElseThrow();
            assertThat(dead.reason()).isEqualTo(DeadLetterReason.RETRIES_EXHAUSTED);
            assertThat(dead.originalOffset()).isEqualTo(first.offset());
            assertThat(dead.message()).contains("is unavailable");
        });

        // When the dead letter cannot be sent either, the last attempt throws too (the offset stays uncommitted) and
        // the record comes back with a fresh budget.
        unavailable.add("k0rdent.dlq.bootstrap");
        assertThatThrownBy(() -> twoAttempts.handle(second)).isInstanceOf(KafkaException.class);
        assertThatThrownBy(() -> twoAttempts.handle(second)).hasMessageContaining("k0rdent.dlq.bootstrap is unavailable");
        unavailable.clear();
        twoAttempts.handle(second);
        assertThat(flaky.history()).hasSize(2).last().satisfies(event -> {
            assertThat(event.topic()).isEqualTo("k0rdent.cluster.bootstrap");
            assertThat(event.key()).isEqualTo("second");
        });
    }

    private static NodesRetirementRequested retirement(BootstrapSandbox.Cluster cluster) {
        return new NodesRetirementRequested(BootstrapSandbox.header(cluster.name(), 1, "retire"), List.of(cluster.nodes().get(1)),
                NodesRetirementRequested.RetirementReason.SCALE_IN);
    }

    @Test
    void otherInfrastructureFactsAndStaleGenerationsAreSkipped() {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("gens", 1, 1);
        handler.handle(record(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 2)));
        assertThat(producer.history()).hasSize(1);
        ClusterEvent ready = new ClusterEventCodec(URI.create("/t")).decode(TOPIC, producer.history().get(0).headers(),
                producer.history().get(0).value());
        assertThat(ready).isInstanceOf(ClusterReady.class);
        long commands = sandbox.hosts().commands().size();

        handler.handle(record(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1)));
        handler.handle(record(new ProvisioningFailed(BootstrapSandbox.header("gens", 3, "failed"),
                ProvisioningFailed.FailureReason.THROTTLED, "RequestLimitExceeded", "vpc", "slow down", true)));

        assertThat(producer.history()).hasSize(1);
        assertThat(sandbox.hosts().commands()).hasSize((int) commands);
    }

    @Test
    void aSuspendedClusterGetsNoBootstrapActionUntilResumed() {
        Set<String> suspended = ConcurrentHashMap.newKeySet();
        InfrastructureEventHandler honouring = new InfrastructureEventHandler(sandbox.bootstrapper(),
                new BootstrapEventPublisher(producer, sandbox.properties(), Clock.systemUTC()), "k0rdent-bootstrap",
                new AttemptBudget(2), new io.k0rdent.ops.support.telemetry.EventTelemetry(
                        io.opentelemetry.api.OpenTelemetry.noop(),
                        new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), "bootstrap"),
                suspended::contains, retries(2));
        BootstrapSandbox.Cluster cluster = sandbox.cluster("paused", 1, 1);
        suspended.add("paused");

        honouring.handle(record(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1)));
        assertThat(producer.history()).isEmpty();
        assertThat(sandbox.hosts().commands()).as("no SSH command while suspended").isEmpty();

        // Resumed: the provisioner re-drives the cluster, and its report is handled as usual.
        suspended.remove("paused");
        honouring.handle(record(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1)));
        assertThat(producer.history()).hasSize(1);
        assertThat(sandbox.hosts().commands()).isNotEmpty();
    }
}
