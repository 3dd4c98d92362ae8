package io.k0rdent.ops.support.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of one topic from its beginning, without a consumer group, and keeps following it: for state
 * that every replica of a service needs whole (which clusters are suspended), not only the partitions its group
 * assigned to it. {@link #catchUp} reads to the end the topic has when called, so a service starts acting only once it
 * knows what was there; {@link #start} then follows new records on a daemon thread until {@link #close}.
 *
 * <p>The handler is called on one thread at a time, in partition order; it must not throw (a failure is logged and
 * the record skipped: the state it feeds must be folded by a rule that tolerates that, e.g. offsets).
 */
public final class TopicFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);

    private static final Duration ABSENT_TOPIC_RECHECK = Duration.ofSeconds(5);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Consumer<ConsumerRecord<String, byte[]>> handler;
    private final Duration timeout;
    private Thread thread;
    private volatile boolean running;
    private boolean closed;

    /**
     * @param clientConfig connection settings (bootstrap servers, security); group, commit and isolation settings
     *                     are this class's own
     */
    public TopicFollower(Map<String, Object> clientConfig, String clientId, String topic, Duration timeout,
                         Consumer<ConsumerRecord<String, byte[]>> handler) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Looking for the topic must never create it, with whatever partition count the broker defaults to.
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.timeout = timeout;
        this.handler = handler;
    }

    /**
     * Assigns every partition and reads from the beginning to the end offsets of now; answers how many records were
     * read. Throws when the topic cannot be read within four times the timeout: acting without knowing it is unsafe.
     */
    public synchronized int catchUp() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        List<TopicPartition> partitions = partitions();
        if (partitions.isEmpty()) {
            // Nothing can have been written to a topic that does not exist; it is looked for again while following.
            LOG.warn("topic {} does not exist (yet); following it once it does", topic);
            return 0;
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        Instant deadline = Instant.now().plus(timeout.multipliedBy(4));
        int read = 0;
        while (!caughtUp(end)) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("could not read " + topic + " to its end within "
                        + timeout.multipliedBy(4));
            }
            read += handle(consumer.poll(Duration.ofMillis(200)));
        }
        return read;
    }

    /** Follows the topic on a daemon thread from where {@link #catchUp} stopped. */
    public synchronized void start() {
        // Closed while a background load was still catching up: nothing must start on a closed consumer.
        if (thread != null || closed) {
            return;
        }
        running = true;
        thread = new Thread(this::follow, "follow-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private List<TopicPartition> partitions() {
        List<org.apache.kafka.common.PartitionInfo> found = consumer.partitionsFor(topic, timeout);
        return found == null ? List.of() : found.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private void follow() {
        try {
            while (running) {
                if (consumer.assignment().isEmpty()) {
                    List<TopicPartition> partitions = partitions();
                    if (partitions.isEmpty()) {
                        Thread.sleep(ABSENT_TOPIC_RECHECK.toMillis());
                        continue;
                    }
                    LOG.info("topic {} exists now; following it from its beginning", topic);
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                }
                handle(consumer.poll(Duration.ofMillis(500)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (WakeupException | InterruptException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("stopped following {}: {}", topic, e.toString());
        } finally {
            Thread.interrupted(); // closing must not fail on the interrupt that ended the loop
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private int handle(Iterable<ConsumerRecord<String, byte[]>> records) {
        int n = 0;
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                handler.accept(record);
            } catch (RuntimeException e) {
                LOG.warn("skipping {}/{}/{}: {}", record.topic(), record.partition(), record.offset(), e.toString());
            }
            n++;
        }
        return n;
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    @Override
    public void close() {
        // Thread-safe, and first: a catch-up or poll in progress (holding this object's lock) gives up at once.
        consumer.wakeup();
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            t = thread;
            running = false;
            if (t == null) {
                consumer.close(Duration.ofSeconds(2));
                return;
            }
        }
        t.interrupt();
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
