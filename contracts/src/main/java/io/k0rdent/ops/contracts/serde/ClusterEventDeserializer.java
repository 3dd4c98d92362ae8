package io.k0rdent.ops.contracts.serde;

import io.k0rdent.ops.contracts.event.ClusterEvent;
import java.net.URI;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka {@link Deserializer} for events. Throws {@link EventDecodingException} for a record that is not
 * a readable event; consumers that want to dead-letter such records themselves read {@code byte[]}
 * values and call {@link ClusterEventCodec#decode} instead.
 */
public class ClusterEventDeserializer implements Deserializer<ClusterEvent> {

    private final ClusterEventCodec codec;

    public ClusterEventDeserializer() {
        this(new ClusterEventCodec(URI.create(ClusterEventSerializer.DEFAULT_SOURCE)));
    }

    public ClusterEventDeserializer(ClusterEventCodec codec) {
        this.codec = codec;
    }

    @Override
    public ClusterEvent deserialize(String topic, byte[] data) {
        throw new EventDecodingException(EventDecodingException.Reason.NOT_A_CLOUD_EVENT,
                "binary-mode CloudEvents need record headers");
    }

    @Override
    public ClusterEvent deserialize(String topic, Headers headers, byte[] data) {
        return codec.decode(topic, headers, data);
    }
}
