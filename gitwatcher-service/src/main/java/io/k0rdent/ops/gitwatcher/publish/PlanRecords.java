package io.k0rdent.ops.gitwatcher.publish;

import io.k0rdent.ops.contracts.event.ClusterDefinitionRejected;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.gitwatcher.GitwatcherProperties;
import io.k0rdent.ops.gitwatcher.state.ChangePlan;
import io.k0rdent.ops.gitwatcher.state.StateRecords;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Turns a {@link ChangePlan} into the Kafka records of its transaction: each event as a CloudEvent
 * (binary mode) keyed by cluster name on its topic, then the state records, the watermark last.
 */
@Singleton
public class PlanRecords {

    /** The CloudEvents source of everything the gitwatcher emits. */
    public static final URI SOURCE = URI.create("/k0rdent-ops/gitwatcher");

    private final ClusterEventCodec codec = new ClusterEventCodec(SOURCE);
    private final StateRecords stateRecords = new StateRecords();
    private final GitwatcherProperties properties;

    public PlanRecords(GitwatcherProperties properties) {
        this.properties = properties;
    }

    public List<ProducerRecord<String, byte[]>> of(ChangePlan plan) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(plan.events().size() + plan.stateChanges().size() + 1);
        for (ClusterEvent event : plan.events()) {
            // Topic names come from configuration (tests use their own), so the codec's own toRecord is not used.
            String topic = event instanceof ClusterDefinitionRejected
                    ? properties.rejectionsTopic() : properties.definitionsTopic();
            Headers headers = new RecordHeaders();
            byte[] value = codec.encode(topic, headers, event);
            records.add(new ProducerRecord<>(topic, null, event.key(), value, headers));
        }
        for (Map.Entry<String, byte[]> state : stateRecords.recordsOf(plan)) {
            records.add(new ProducerRecord<>(properties.stateTopic(), state.getKey(), state.getValue()));
        }
        return records;
    }
}
