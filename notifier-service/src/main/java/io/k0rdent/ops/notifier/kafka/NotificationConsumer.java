package io.k0rdent.ops.notifier.kafka;

import io.k0rdent.ops.notifier.delivery.DeliveryHooks;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.k0rdent.ops.support.telemetry.KafkaClientBinder;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop: hands each record to the {@link NotificationListener} and, after every poll (also an empty
 * one), commits the offsets the {@link OffsetTracker} allows, synchronously.
 *
 * <p>Why not a micronaut-kafka {@code @KafkaListener}: records here settle later, on other threads (after a
 * digest window, a rate-limited send). A {@code KafkaConsumer} may only be used from its polling thread, and
 * a listener method is invoked only when records arrive, so the offset of the last settled record of a quiet
 * partition would stay uncommitted until the next record. Owning the loop lets the commit follow every poll.
 */
public final class NotificationConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationConsumer.class);

    private final Map<String, Object> consumerProps;
    private final List<String> topics;
    private final NotificationListener listener;
    private final OffsetTracker offsets;
    private final DeliveryHooks hooks;
    private final Duration pollTimeout;
    private final int maxUnsettled;
    private final Runnable onAssigned;
    private final java.util.function.Consumer<Collection<TopicPartition>> onRevoked;
    private final KafkaClientBinder clientMetrics;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    /**
     * @param maxUnsettled when this many records wait for their deliveries (e.g. a destination is parked by a long
     *                     {@code Retry-After}), fetching pauses until fewer wait, so memory stays bounded
     * @param onAssigned   runs on the polling thread when partitions are assigned, before their records are
     *                     polled: the delivery ledger catches up with what other instances recorded
     * @param onRevoked    runs on the polling thread when partitions are revoked, before their settled offsets are
     *                     committed: their records' notifications are handed over to the next owner
     */
    public NotificationConsumer(Map<String, Object> consumerProps, List<String> topics, NotificationListener listener,
                                OffsetTracker offsets, DeliveryHooks hooks, Duration pollTimeout, int maxUnsettled,
                                Runnable onAssigned, java.util.function.Consumer<Collection<TopicPartition>> onRevoked,
                                KafkaClientBinder clientMetrics) {
        this.onRevoked = onRevoked;
        this.clientMetrics = clientMetrics;
        this.consumerProps = Map.copyOf(consumerProps);
        this.topics = List.copyOf(topics);
        this.listener = listener;
        this.offsets = offsets;
        this.hooks = hooks;
        this.pollTimeout = pollTimeout;
        this.maxUnsettled = maxUnsettled;
        this.onAssigned = onAssigned;
    }

    public synchronized void start() {
        consumer = new KafkaConsumer<>(consumerProps);
        // A hand-built consumer: its lag is exported only if bound here.
        clientMetrics.bind(consumer);
        running = true;
        thread = new Thread(this::run, "notifier-consumer");
        thread.start();
    }

    private void run() {
        KafkaConsumer<String, byte[]> kafka = consumer;
        try {
            kafka.subscribe(topics, new Rebalance(kafka));
            while (running) {
                for (ConsumerRecord<String, byte[]> record : kafka.poll(pollTimeout)) {
                    try {
                        listener.onRecord(record);
                    } catch (RuntimeException e) {
                        // Only dead-lettering itself can fail here (Kafka unavailable). The record stays unsettled,
                        // so its offset is not committed and a restart processes it again.
                        LOG.error("Could not handle {}/{}/{}", record.topic(), record.partition(), record.offset(), e);
                    }
                }
                commit(kafka, offsets.committable());
                applyBackpressure(kafka);
            }
        } catch (WakeupException stopping) {
            // close() woke the poll; fall through to the final commit.
        } catch (RuntimeException e) {
            LOG.error("Notifier consumer stopped", e);
        } finally {
            try {
                commit(kafka, offsets.committable());
            } catch (RuntimeException e) {
                LOG.warn("Final offset commit failed; the records are processed again and deduplicated", e);
            }
            kafka.close(Duration.ofSeconds(5));
        }
    }

    private void applyBackpressure(KafkaConsumer<String, byte[]> kafka) {
        boolean paused = !kafka.paused().isEmpty();
        int unsettled = offsets.unsettled();
        if (!paused && unsettled >= maxUnsettled) {
            LOG.warn("{} records wait for delivery; pausing consumption", unsettled);
            kafka.pause(kafka.assignment());
        } else if (paused && unsettled < maxUnsettled / 2) {
            LOG.info("{} records wait for delivery; resuming consumption", unsettled);
            kafka.resume(kafka.paused());
        }
    }

    private void commit(KafkaConsumer<String, byte[]> kafka, Map<TopicPartition, OffsetAndMetadata> committable) {
        if (committable.isEmpty() || !hooks.beforeCommit(committable)) {
            return;
        }
        try {
            kafka.commitSync(committable);
            offsets.committed(committable);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            // E.g. a rebalance in progress: the settled records are redelivered and found in the ledger.
            LOG.warn("Offset commit failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            t = thread;
        }
        consumer.wakeup();
        try {
            t.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Hands over and commits what is settled before partitions move to another instance, then forgets them. */
    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> kafka;

        private Rebalance(KafkaConsumer<String, byte[]> kafka) {
            this.kafka = kafka;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                onRevoked.accept(partitions);
            }
            Map<TopicPartition, OffsetAndMetadata> mine = offsets.committable().entrySet().stream()
                    .filter(e -> partitions.contains(e.getKey()))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            commit(kafka, mine);
            offsets.forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            LOG.info("Assigned {}", partitions);
            if (!partitions.isEmpty()) {
                onAssigned.run();
            }
        }
    }
}
