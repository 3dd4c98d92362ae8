package io.k0rdent.ops.gitwatcher.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.serde.EventJson;
import io.k0rdent.ops.gitwatcher.WatchKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The layout of the state topic ({@code k0rdent.gitwatcher.state}, compacted). One record per branch
 * holds the watermark; one record per accepted cluster holds its definition, because 10,000
 * definitions do not fit one record. All of a commit's records go in the same transaction as its
 * events.
 *
 * <pre>
 * key &lt;repository&gt;#&lt;branch&gt;                  value {"commit", "highestGeneration"}
 * key &lt;repository&gt;#&lt;branch&gt;#cluster/&lt;name&gt;   value {"name", "path", "generation", "commit", "definition"}
 *                                           or a tombstone (null) once the cluster is deleted
 * </pre>
 */
public final class StateRecords {

    private static final String CLUSTER_INFIX = "#cluster/";

    private final ObjectMapper mapper = EventJson.newMapper();

    /** The watermark record's value. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Watermark(String commit, long highestGeneration) {
    }

    /** An accepted cluster's record value. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cluster(String name, String path, long generation, String commit, ClusterDefinition definition) {
    }

    public static String watermarkKey(WatchKey key) {
        return key.toString();
    }

    public static String clusterKey(WatchKey key, String cluster) {
        return key + CLUSTER_INFIX + cluster;
    }

    /** The records of a plan: cluster records and tombstones first, the watermark last. */
    public List<Map.Entry<String, byte[]>> recordsOf(ChangePlan plan) {
        List<Map.Entry<String, byte[]>> records = new ArrayList<>(plan.stateChanges().size() + 1);
        for (ChangePlan.StateChange change : plan.stateChanges()) {
            String recordKey = clusterKey(plan.key(), change.name());
            AcceptedCluster c = change.upsert();
            // A tombstone is a null value; Map.entry refuses nulls.
            records.add(new java.util.AbstractMap.SimpleImmutableEntry<>(recordKey, c == null ? null
                    : write(new Cluster(c.name(), c.path(), c.generation(), c.commit(), c.definition()))));
        }
        records.add(Map.entry(watermarkKey(plan.key()), write(new Watermark(plan.commit(), plan.highestGeneration()))));
        return records;
    }

    /**
     * Applies one record read from the topic to the states of the watched branches. Records of branches
     * that are no longer watched are ignored.
     */
    public void apply(Map<WatchKey, BranchState> states, String recordKey, byte[] value) {
        for (Map.Entry<WatchKey, BranchState> entry : states.entrySet()) {
            String branchKey = watermarkKey(entry.getKey());
            if (recordKey.equals(branchKey)) {
                if (value != null) {
                    Watermark w = read(value, Watermark.class);
                    entry.getValue().setWatermark(w.commit(), w.highestGeneration());
                }
                return;
            }
            if (recordKey.startsWith(branchKey + CLUSTER_INFIX)) {
                String name = recordKey.substring(branchKey.length() + CLUSTER_INFIX.length());
                if (value == null) {
                    entry.getValue().remove(name);
                } else {
                    Cluster c = read(value, Cluster.class);
                    entry.getValue().put(new AcceptedCluster(c.name(), c.path(), c.generation(), c.definition(), c.commit()));
                }
                return;
            }
        }
    }

    private byte[] write(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T read(byte[] value, Class<T> type) {
        try {
            return mapper.readValue(value, type);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable state record: " + e.getMessage(), e);
        }
    }
}
