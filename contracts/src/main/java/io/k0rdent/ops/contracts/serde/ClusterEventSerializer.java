package io.k0rdent.ops.contracts.serde;

import io.k0rdent.ops.contracts.event.ClusterEvent;
import java.net.URI;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka {@link Serializer} for events, for plain kafka-clients producers and for Micronaut
 * ({@code value.serializer}). Configure the CloudEvents source with {@value #SOURCE_CONFIG}.
 */
public class ClusterEventSerializer implements Serializer<ClusterEvent> {

    /** Producer config key for the {@code ce_source} of produced events. */
    public static final String SOURCE_CONFIG = "k0rdent.events.source";
    public static final String DEFAULT_SOURCE = "/k0rdent-ops";

    private ClusterEventCodec codec;

    /** For Kafka's reflective instantiation; {@link #configure} sets the source. */
    public ClusterEventSerializer() {
        this(new ClusterEventCodec(URI.create(DEFAULT_SOURCE)));
    }

    public ClusterEventSerializer(ClusterEventCodec codec) {
        this.codec = codec;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object source = configs.get(SOURCE_CONFIG);
        if (source != null) {
            codec = new ClusterEventCodec(URI.create(source.toString()));
        }
    }

    @Override
    public byte[] serialize(String topic, ClusterEvent event) {
        // Binary mode needs headers; without them the attributes would be lost, so refuse rather than
        // silently write a record no consumer can read.
        throw new UnsupportedOperationException("binary-mode CloudEvents need record headers");
    }

    @Override
    public byte[] serialize(String topic, Headers headers, ClusterEvent event) {
        if (event == null) {
            return null;
        }
        return codec.encode(topic, headers, event);
    }
}
