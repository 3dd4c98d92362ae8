package io.k0rdent.ops.provisioner.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.event.NodeRole;
import io.k0rdent.ops.contracts.event.ProvisionedNode;
import io.k0rdent.ops.provisioner.aws.ObservedInstance;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProvisionedNodesTest {

    private static final String TAG = "sandbox.k0rdent.io/ssh-endpoint";

    @Test
    void anUntaggedInstanceIsReachedAtItsPublicAddressOnPort22() {
        ProvisionedNode node = ProvisionedNodes.of(instance(Map.of()), "ubuntu", TAG, true);

        assertThat(node.ssh().host()).isEqualTo("203.0.113.7");
        assertThat(node.ssh().port()).isEqualTo(22);
        assertThat(node.publicAddress()).isEqualTo("203.0.113.7");
    }

    @Test
    void theEndpointTagChangesOnlyTheSshEndpointByDefault() {
        ProvisionedNode node = ProvisionedNodes.of(instance(Map.of(TAG, "127.0.1.4:2222")), "ubuntu", TAG);

        assertThat(node.ssh().host()).isEqualTo("127.0.1.4");
        assertThat(node.ssh().port()).isEqualTo(2222);
        assertThat(node.publicAddress()).isEqualTo("203.0.113.7");
    }

    @Test
    void inTheSandboxTheEndpointTagsHostIsAlsoThePublicAddress() {
        ProvisionedNode node = ProvisionedNodes.of(instance(Map.of(TAG, "127.0.1.4:2222")), "ubuntu", TAG, true);

        assertThat(node.publicAddress()).isEqualTo("127.0.1.4");
        assertThat(node.privateAddress()).isEqualTo("10.10.0.5");
    }

    @Test
    void aMalformedTagChangesNothing() {
        ProvisionedNode node = ProvisionedNodes.of(instance(Map.of(TAG, "127.0.1.4:ssh")), "ubuntu", TAG, true);

        assertThat(node.ssh().host()).isEqualTo("203.0.113.7");
        assertThat(node.publicAddress()).isEqualTo("203.0.113.7");
    }

    private static ObservedInstance instance(Map<String, String> tags) {
        return new ObservedInstance("i-0123456789abcdef0", NodeRole.CONTROLLER, 0, 1, "t3.medium", "us-east-1a",
                "subnet-1", "10.10.0.5", "203.0.113.7", "running", null, tags);
    }
}
