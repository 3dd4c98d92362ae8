package io.k0rdent.ops.notifier.it;

import io.k0rdent.ops.notifier.config.NoDeliveryHooks;
import io.k0rdent.ops.notifier.delivery.Delivery;
import io.k0rdent.ops.notifier.delivery.DeliveryHooks;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Simulates a crash right after a send was recorded and before its offset is committed: it counts recorded
 * deliveries and refuses every offset commit, so closing the context leaves the offsets where they were.
 */
@Singleton
@Replaces(NoDeliveryHooks.class)
@Requires(property = "test.crash-before-commit", value = "true")
public class RestartHooks implements DeliveryHooks {

    final AtomicInteger recorded = new AtomicInteger();
    /** The highest offset offered for commit per partition: how far this instance has settled. */
    final Map<TopicPartition, Long> offered = new ConcurrentHashMap<>();

    @Override
    public void afterRecorded(Delivery delivery, boolean delivered) {
        recorded.addAndGet(delivery.items().size());
    }

    @Override
    public boolean beforeCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> offered.merge(partition, offset.offset(), Math::max));
        return false;
    }
}
