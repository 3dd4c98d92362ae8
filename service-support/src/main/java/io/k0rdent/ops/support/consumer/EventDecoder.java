package io.k0rdent.ops.support.consumer;

import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.serde.EventDecodingException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads a consumed record as an event; in the services, {@code ClusterEventCodec::decode}. */
@FunctionalInterface
public interface EventDecoder {

    /** @throws EventDecodingException when the record is not a readable event (it is then dead-lettered) */
    ClusterEvent decode(ConsumerRecord<String, byte[]> record);
}
