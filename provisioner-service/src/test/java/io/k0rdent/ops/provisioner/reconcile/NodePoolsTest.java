package io.k0rdent.ops.provisioner.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.event.NodeRole;
import org.junit.jupiter.api.Test;

class NodePoolsTest {

    @Test
    void roundTripsThroughTags() {
        NodePools pools = new NodePools(3, "t3.medium", 5, "m5.large");
        assertThat(NodePools.fromTags(pools.tag(NodeRole.CONTROLLER), pools.tag(NodeRole.WORKER))).isEqualTo(pools);
        assertThat(NodePools.fromTags(null, "1:x")).isNull();
        assertThat(NodePools.fromTags("x", "1:x")).isNull();
    }
}
