package io.k0rdent.ops.k0ops.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.k0rdent.ops.contracts.topic.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Every cluster the gitwatcher holds as accepted, with its generation, from its compacted state topic (key
 * {@code <repository>#<branch>#cluster/<name>}, a tombstone once the cluster's file is gone). The lifecycle topics
 * forget a cluster after their retention; this topic does not, so {@code k0ops status} lists every cluster that
 * exists however long ago anything happened to it.
 */
public final class AcceptedClusters {

    private static final String CLUSTER_INFIX = "#cluster/";

    private final Map<String, Long> generations = new TreeMap<>();
    private final ObjectMapper mapper = new ObjectMapper();

    public static Map<String, Long> read(KafkaConsumer<byte[], byte[]> consumer) {
        AcceptedClusters clusters = new AcceptedClusters();
        new TopicReader(consumer).readAll(List.of(Topics.GITWATCHER_STATE.name()),
                record -> clusters.accept(record.key(), record.value()));
        return clusters.generations();
    }

    /** One record of the state topic, in offset order; watermarks and unreadable values are skipped. */
    void accept(byte[] key, byte[] value) {
        String text = key == null ? "" : new String(key, StandardCharsets.UTF_8);
        int infix = text.lastIndexOf(CLUSTER_INFIX);
        if (infix < 0) {
            return;
        }
        String name = text.substring(infix + CLUSTER_INFIX.length());
        if (value == null) {
            generations.remove(name);
            return;
        }
        try {
            JsonNode record = mapper.readTree(value);
            generations.put(name, record.path("generation").asLong(0));
        } catch (IOException e) {
            // A record this version cannot read says nothing about the cluster; the lifecycle topics may.
        }
    }

    Map<String, Long> generations() {
        return Map.copyOf(generations);
    }
}
