package io.k0rdent.ops.notifier.delivery;

import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Points where tests observe or stop the pipeline, e.g. to stop the service after a send was recorded but
 * before its offset is committed. The production implementation does nothing.
 */
public interface DeliveryHooks {

    /** After a delivery's outcome is durable and before its notifications are settled. */
    default void afterRecorded(Delivery delivery, boolean delivered) {
    }

    /** Before offsets are committed; {@code false} skips this commit. */
    default boolean beforeCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        return true;
    }

    /** Hooks that do nothing. */
    DeliveryHooks NONE = new DeliveryHooks() {
    };
}
