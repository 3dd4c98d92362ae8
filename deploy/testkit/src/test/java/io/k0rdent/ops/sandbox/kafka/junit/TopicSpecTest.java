package io.k0rdent.ops.sandbox.kafka.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicSpecTest {

    @Test
    void compactedTopicsSayCleanupPolicyCompact() {
        TopicSpec spec = TopicSpec.compacted("cluster-state", 2).withConfig("min.cleanable.dirty.ratio", "0.01");

        assertThat(spec.configs())
                .containsEntry("cleanup.policy", "compact")
                .containsEntry("min.cleanable.dirty.ratio", "0.01");
        assertThat(spec.partitions()).isEqualTo(2);
    }

    @Test
    void rejectsIllegalTopicNamesAndPartitionCounts() {
        assertThatThrownBy(() -> TopicSpec.of("orders/eu", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TopicSpec.of("", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TopicSpec.of("orders", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
