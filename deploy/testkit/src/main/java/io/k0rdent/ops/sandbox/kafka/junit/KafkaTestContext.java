package io.k0rdent.ops.sandbox.kafka.junit;

import io.k0rdent.ops.sandbox.kafka.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Kafka integration test needs: the shared broker's address, fresh topics, and client configuration.
 * Injected by {@link KafkaBrokerExtension}; one per test. Closing it (JUnit does, after the test) deletes the
 * topics it created and closes its {@link #admin()}.
 */
public final class KafkaTestContext implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTestContext.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final KafkaBroker broker;
    private final List<String> createdTopics = new ArrayList<>();
    private Admin admin;

    KafkaTestContext(KafkaBroker broker) {
        this.broker = broker;
    }

    /** @return the {@code bootstrap.servers} of the shared broker */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** @return the cluster id the broker reports; the same for every test of the run */
    public String clusterId() {
        return get(admin().describeCluster().clusterId(), "describe the cluster");
    }

    /** @return an Admin client for the broker, created on first use and closed with this context */
    public synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                    AdminClientConfig.CLIENT_ID_CONFIG, uniqueName("test-admin")));
        }
        return admin;
    }

    /**
     * Creates a topic named {@code baseName} plus a unique suffix and waits until every partition has a leader.
     *
     * @param baseName   readable start of the name, e.g. {@code orders}
     * @param partitions partition count
     * @return the actual topic name
     */
    public String createTopic(String baseName, int partitions) {
        return createTopics(TopicSpec.of(baseName, partitions)).get(0);
    }

    /**
     * Like {@link #createTopic(String, int)}, with topic configs, e.g. {@code Map.of("cleanup.policy", "compact")}.
     *
     * @param baseName   readable start of the name
     * @param partitions partition count
     * @param configs    topic configs
     * @return the actual topic name
     */
    public String createTopic(String baseName, int partitions, Map<String, String> configs) {
        return createTopics(new TopicSpec(baseName, partitions, configs)).get(0);
    }

    /**
     * Creates several topics in one request and waits until all are usable.
     *
     * @param specs the topics
     * @return the actual topic names, in the order of {@code specs}
     */
    public List<String> createTopics(TopicSpec... specs) {
        return createTopics(Arrays.asList(specs));
    }

    /**
     * Creates several topics in one request and waits until all are usable.
     *
     * @param specs the topics
     * @return the actual topic names, in the order of {@code specs}
     */
    public synchronized List<String> createTopics(List<TopicSpec> specs) {
        List<NewTopic> topics = specs.stream()
                .map(spec -> new NewTopic(uniqueName(spec.baseName()), spec.partitions(), (short) 1).configs(spec.configs()))
                .collect(Collectors.toList());
        List<String> names = topics.stream().map(NewTopic::name).collect(Collectors.toList());
        get(admin().createTopics(topics).all(), "create topics " + names);
        createdTopics.addAll(names);
        awaitLeaders(names);
        return names;
    }

    /** @return the topics this context created so far */
    public synchronized List<String> createdTopics() {
        return List.copyOf(createdTopics);
    }

    /**
     * @param baseName readable start, e.g. a consumer group or transactional id
     * @return {@code baseName} plus a random suffix, so repeated and parallel tests never collide
     */
    public String uniqueName(String baseName) {
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        return baseName + "-" + HexFormat.of().formatHex(random);
    }

    /** @return producer configuration: String keys, byte[] values, {@code acks=all}; a fresh, modifiable map */
    public Map<String, Object> producerProps() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return props;
    }

    /**
     * @param groupId the consumer group
     * @return consumer configuration: String keys, byte[] values, reading from the earliest offset, no auto-commit;
     *         a fresh, modifiable map
     */
    public Map<String, Object> consumerProps(String groupId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return props;
    }

    /** Deletes the topics this context created (best effort: a failure is logged, not thrown) and closes the admin. */
    @Override
    public synchronized void close() {
        if (admin == null) {
            return;
        }
        try {
            if (!createdTopics.isEmpty()) {
                // Keeps a shared (possibly external) cluster tidy; the broker log still shows what was created.
                admin.deleteTopics(createdTopics).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Could not delete test topics {}: {}", createdTopics, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }

    // CreateTopics returns once the controller committed the topics; the broker's metadata cache, which
    // producers and consumers read, follows a moment later. Kafka has no call that waits for that, hence the
    // bounded retry with a short, growing backoff.
    private void awaitLeaders(List<String> names) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long backoffMs = 10;
        while (true) {
            try {
                Map<String, TopicDescription> descriptions =
                        admin().describeTopics(names).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                boolean ready = descriptions.values().stream()
                        .flatMap(description -> description.partitions().stream())
                        .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
                if (ready) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)) {
                    throw new IllegalStateException("Could not describe topics " + names, e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("Topics " + names + " were not described within " + TIMEOUT, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for topics " + names, e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Topics " + names + " had no leaders within " + TIMEOUT);
            }
            sleep(backoffMs);
            backoffMs = Math.min(backoffMs * 2, 200);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for topics", e);
        }
    }

    private static <T> T get(KafkaFuture<T> future, String what) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Could not " + what + " within " + TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while trying to " + what, e);
        }
    }
}
