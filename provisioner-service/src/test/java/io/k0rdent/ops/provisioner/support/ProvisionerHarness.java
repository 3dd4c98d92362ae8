package io.k0rdent.ops.provisioner.support;


import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.InfrastructureEvent;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.provisioner.reconcile.ReconcileHooks;
import io.k0rdent.ops.sandbox.ec2.Ec2Emulator;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import io.micronaut.context.ApplicationContext;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * One provisioner under test: the EC2 emulator, fresh topics on the shared real broker, the Micronaut application
 * configured for both, a producer playing the gitwatcher and bootstrap sides, and a consumer collecting what the
 * provisioner publishes (infrastructure events and dead letters).
 */
public final class ProvisionerHarness implements AutoCloseable {

    private static final ClusterEventCodec GITWATCHER = new ClusterEventCodec(URI.create("/k0rdent-ops/gitwatcher"));
    private static final ClusterEventCodec BOOTSTRAP = new ClusterEventCodec(URI.create("/k0rdent-ops/bootstrap"));
    private static final ClusterEventCodec K0OPS = new ClusterEventCodec(URI.create("/k0rdent-ops/k0ops"));

    public final Ec2Emulator ec2;
    public final Ec2Client sdk;
    public final String definitionsTopic;
    public final String bootstrapTopic;
    public final String infrastructureTopic;
    public final String deadLetterTopic;
    public final String controlTopic;
    private final KafkaTestContext kafka;
    private final Map<String, Object> properties = new HashMap<>();
    private ApplicationContext app;
    private final List<ApplicationContext> replicas = new CopyOnWriteArrayList<>();
    private final KafkaProducer<String, byte[]> producer;
    private final List<ClusterEvent> events = new CopyOnWriteArrayList<>();
    private final List<ConsumerRecord<String, byte[]>> deadLetters = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread collector;
    private final ClusterEventCodec reader = new ClusterEventCodec(URI.create("/test"));

    public ProvisionerHarness(KafkaTestContext kafka, Ec2EmulatorOptions options, Map<String, Object> extra,
                              ReconcileHooks hooks) {
        this.kafka = kafka;
        this.ec2 = Ec2Emulator.start(options);
        List<String> topics = kafka.createTopics(
                io.k0rdent.ops.sandbox.kafka.junit.TopicSpec.of("definitions", 3),
                io.k0rdent.ops.sandbox.kafka.junit.TopicSpec.of("bootstrap", 3),
                io.k0rdent.ops.sandbox.kafka.junit.TopicSpec.of("infrastructure", 3),
                io.k0rdent.ops.sandbox.kafka.junit.TopicSpec.of("dlq", 1),
                io.k0rdent.ops.sandbox.kafka.junit.TopicSpec.of("control", 3));
        definitionsTopic = topics.get(0);
        bootstrapTopic = topics.get(1);
        infrastructureTopic = topics.get(2);
        deadLetterTopic = topics.get(3);
        controlTopic = topics.get(4);

        properties.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        properties.put("k0rdent.provisioner.bootstrap-servers", kafka.bootstrapServers());
        properties.put("k0rdent.provisioner.group-id", kafka.uniqueName("provisioner"));
        properties.put("k0rdent.provisioner.definitions-topic", definitionsTopic);
        properties.put("k0rdent.provisioner.bootstrap-topic", bootstrapTopic);
        properties.put("k0rdent.provisioner.infrastructure-topic", infrastructureTopic);
        properties.put("k0rdent.provisioner.dead-letter-topic", deadLetterTopic);
        properties.put("k0rdent.provisioner.control-topic", controlTopic);
        properties.put("k0rdent.provisioner.endpoint", ec2.endpoint().toString());
        properties.put("k0rdent.provisioner.access-key-id", "test");
        properties.put("k0rdent.provisioner.secret-access-key", "test");
        properties.put("k0rdent.provisioner.retry-mode", "standard");
        properties.put("k0rdent.provisioner.max-attempts", 20);
        properties.put("k0rdent.provisioner.retry-base-delay", "5ms");
        properties.put("k0rdent.provisioner.retry-max-backoff", "50ms");
        properties.put("k0rdent.provisioner.waiter-poll-interval", "10ms");
        properties.put("k0rdent.provisioner.waiter-max-attempts", 100);
        properties.put("k0rdent.provisioner.admin-cidr", "192.0.2.0/24");
        properties.put("k0rdent.provisioner.drift-enabled", false);
        properties.put("k0rdent.provisioner.consumer-threads", 2);
        // Tests run without the emulator's buckets unless they ask for them; the client-side limiter would only
        // slow them down (RunInstances: 2 per second after a burst of 5).
        properties.put("k0rdent.provisioner.client-rate-limits", false);
        properties.put("micronaut.server.port", -1);
        properties.putAll(extra);
        this.app = startApp(hooks);

        this.producer = new KafkaProducer<>(kafka.producerProps());
        this.sdk = Ec2Client.builder().endpointOverride(ec2.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
        this.collector = new Thread(this::collect, "infrastructure-collector");
        collector.setDaemon(true);
        collector.start();
    }

    public ProvisionerHarness(KafkaTestContext kafka, Ec2EmulatorOptions options) {
        this(kafka, options, Map.of(), null);
    }

    /** As {@link #startReplica()}, with settings of its own on top of the harness's. */
    public ApplicationContext startReplica(Map<String, Object> extra) {
        ApplicationContext replica = startApp(null, extra);
        replicas.add(replica);
        return replica;
    }

    private ApplicationContext startApp(ReconcileHooks hooks) {
        return startApp(hooks, Map.of());
    }

    private ApplicationContext startApp(ReconcileHooks hooks, Map<String, Object> extra) {
        Map<String, Object> settings = new HashMap<>(properties);
        settings.putAll(extra);
        var builder = ApplicationContext.builder().properties(settings).deduceEnvironment(false);
        if (hooks != null) {
            builder.singletons(hooks);
        }
        return builder.start();
    }

    public ApplicationContext app() {
        return app;
    }

    /**
     * Stops the provisioner (as a crash or a redeploy would: nothing but Kafka offsets and EC2 tags survives) and
     * starts a new one in the same consumer group.
     */
    public void restart(ReconcileHooks hooks) {
        app.close();
        app = startApp(hooks);
    }

    /** Starts another provisioner in the same consumer group, as a second pod of the Deployment would be. */
    public ApplicationContext startReplica() {
        ApplicationContext replica = startApp(null);
        replicas.add(replica);
        return replica;
    }

    /** Publishes a definition event as the gitwatcher would. */
    public org.apache.kafka.clients.producer.RecordMetadata sendDefinition(ClusterEvent event) {
        return send(GITWATCHER, definitionsTopic, event);
    }

    /**
     * Writes a definition event as the gitwatcher does, in a transaction, and aborts it: what a gitwatcher killed
     * before its transaction commit leaves on the topic.
     */
    public void sendDefinitionAborted(ClusterEvent event) {
        Map<String, Object> props = new HashMap<>(kafka.producerProps());
        props.put(org.apache.kafka.clients.producer.ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                kafka.uniqueName("gitwatcher-tx"));
        try (KafkaProducer<String, byte[]> transactional = new KafkaProducer<>(props)) {
            transactional.initTransactions();
            transactional.beginTransaction();
            var headers = new org.apache.kafka.common.header.internals.RecordHeaders();
            byte[] value = GITWATCHER.encode(definitionsTopic, headers, event);
            transactional.send(new ProducerRecord<>(definitionsTopic, null, event.key(), value, headers));
            transactional.flush();
            transactional.abortTransaction();
        }
    }

    /** Publishes a bootstrap event (e.g. NodesDrained) as the bootstrap service would. */
    public org.apache.kafka.clients.producer.RecordMetadata sendBootstrap(ClusterEvent event) {
        return send(BOOTSTRAP, bootstrapTopic, event);
    }

    /** Publishes a control event as {@code k0ops suspend|resume|reconcile} would; answers its partition and offset. */
    public org.apache.kafka.clients.producer.RecordMetadata sendControl(ClusterEvent event) {
        return send(K0OPS, controlTopic, event);
    }

    /** Publishes raw bytes without CloudEvents headers (a poison record). */
    public void sendRaw(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(definitionsTopic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private org.apache.kafka.clients.producer.RecordMetadata send(ClusterEventCodec codec, String topic,
                                                                   ClusterEvent event) {
        var headers = new org.apache.kafka.common.header.internals.RecordHeaders();
        byte[] value = codec.encode(topic, headers, event);
        try {
            return producer.send(new ProducerRecord<>(topic, null, event.key(), value, headers)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until the provisioner's group has committed past {@code record}: the provisioner has handled it (and
     * published whatever it answered), so a test may assert that something did not happen.
     */
    public void awaitHandled(org.apache.kafka.clients.producer.RecordMetadata record) {
        var partition = new org.apache.kafka.common.TopicPartition(record.topic(), record.partition());
        String group = (String) properties.get("k0rdent.provisioner.group-id");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    var committed = kafka.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                            .get().get(partition);
                    return committed != null && committed.offset() > record.offset();
                });
    }

    /**
     * Waits until the provisioner's consumer group is stable with all of the process's consumers in it: until then a
     * joining consumer's rebalance can briefly leave a cluster's partition unowned, and a drift pass skips it.
     */
    public void awaitGroupSettled() {
        String group = (String) properties.get("k0rdent.provisioner.group-id");
        // The clusters listener's threads and the control listener's one consumer share the group.
        int consumers = (Integer) properties.get("k0rdent.provisioner.consumer-threads") + 1;
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    var description = kafka.admin().describeConsumerGroups(List.of(group)).describedGroups()
                            .get(group).get();
                    return description.state() == org.apache.kafka.common.ConsumerGroupState.STABLE
                            && description.members().size() == consumers
                            && app.getBean(io.k0rdent.ops.provisioner.reconcile.ClusterOwnership.class)
                                    .assignedPartitions().size() == 3;
                });
    }

    /** Everything the provisioner published so far. */
    public List<ClusterEvent> events() {
        return List.copyOf(events);
    }

    public List<ConsumerRecord<String, byte[]>> deadLetters() {
        return List.copyOf(deadLetters);
    }

    /** Waits for the first published event of {@code type} matching {@code condition}. */
    public <T extends InfrastructureEvent> T await(Class<T> type, Predicate<T> condition) {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> find(type, condition), found -> found != null);
    }

    public <T extends InfrastructureEvent> T find(Class<T> type, Predicate<T> condition) {
        return events.stream().filter(type::isInstance).map(type::cast).filter(condition).findFirst().orElse(null);
    }

    private void collect() {
        Map<String, Object> props = kafka.consumerProps(kafka.uniqueName("collector"));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(infrastructureTopic, deadLetterTopic));
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    if (record.topic().equals(deadLetterTopic)) {
                        deadLetters.add(record);
                    } else {
                        events.add(reader.decode(record));
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            // closing
        }
    }

    @Override
    public void close() {
        running.set(false);
        try {
            collector.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        replicas.stream().filter(ApplicationContext::isRunning).forEach(ApplicationContext::close);
        if (app.isRunning()) {
            app.close();
        }
        producer.close();
        sdk.close();
        ec2.close();
    }
}
