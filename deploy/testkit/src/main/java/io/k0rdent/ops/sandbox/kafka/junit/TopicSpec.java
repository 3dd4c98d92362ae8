package io.k0rdent.ops.sandbox.kafka.junit;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A topic to create for a test. The actual name is {@link #baseName()} plus a unique suffix.
 *
 * @param baseName   readable start of the topic name, e.g. {@code orders}
 * @param partitions partition count
 * @param configs    topic configs, e.g. {@code cleanup.policy=compact}
 */
public record TopicSpec(String baseName, int partitions, Map<String, String> configs) {

    // Kafka's legal topic characters; the suffix adds at most 9 characters to the 249 allowed.
    private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,200}");

    /**
     * Validates the name (Kafka's legal characters) and partition count; copies the configs.
     *
     * @param baseName   readable start of the topic name
     * @param partitions partition count
     * @param configs    topic configs
     */
    public TopicSpec {
        Objects.requireNonNull(baseName, "baseName");
        if (!LEGAL_NAME.matcher(baseName).matches()) {
            throw new IllegalArgumentException("Topic base name must be 1-200 of [a-zA-Z0-9._-], was '" + baseName + "'");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        configs = Map.copyOf(configs);
    }

    /**
     * @param baseName   readable start of the topic name
     * @param partitions partition count
     * @return a spec with default topic configs
     */
    public static TopicSpec of(String baseName, int partitions) {
        return new TopicSpec(baseName, partitions, Map.of());
    }

    /**
     * @param baseName   readable start of the topic name
     * @param partitions partition count
     * @return a spec for a log-compacted topic ({@code cleanup.policy=compact})
     */
    public static TopicSpec compacted(String baseName, int partitions) {
        return of(baseName, partitions).withConfig("cleanup.policy", "compact");
    }

    /**
     * @param key   a topic config name, e.g. {@code retention.ms}
     * @param value its value
     * @return a copy with that config added or replaced
     */
    public TopicSpec withConfig(String key, String value) {
        Map<String, String> copy = new HashMap<>(configs);
        copy.put(key, value);
        return new TopicSpec(baseName, partitions, copy);
    }
}
