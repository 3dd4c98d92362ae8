package io.k0rdent.ops.k0ops.control;

import io.k0rdent.ops.contracts.control.Suspensions;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.ControlEvent;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.contracts.serde.EventDecodingException;
import io.k0rdent.ops.contracts.topic.Topics;
import io.k0rdent.ops.k0ops.inspect.TopicReader;
import java.net.URI;
import java.util.List;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** {@code k0rdent.cluster.control} read once to its end and folded, by the same rule the services use. */
public final class ControlLog {

    private ControlLog() {
    }

    public static Suspensions read(KafkaConsumer<byte[], byte[]> consumer) {
        ClusterEventCodec codec = new ClusterEventCodec(URI.create("/k0rdent-ops/k0ops"));
        Suspensions suspensions = new Suspensions();
        new TopicReader(consumer).readAll(List.of(Topics.CONTROL.name()), record -> {
            try {
                ClusterEvent event = codec.decode(record);
                if (event instanceof ControlEvent control) {
                    suspensions.apply(control, record.offset());
                }
            } catch (EventDecodingException e) {
                // Not ours to judge here; the services skip it the same way.
            }
        });
        return suspensions;
    }
}
