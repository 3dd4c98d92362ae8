package io.k0rdent.ops.provisioner.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.provisioner.aws.IngressRule;
import org.junit.jupiter.api.Test;

class NetworkLayoutTest {

    @Test
    void subnetsAreQuartersOfTheVpc() {
        assertThat(NetworkLayout.subnetCidrs("10.0.0.0/16", 3))
                .containsExactly("10.0.0.0/18", "10.0.64.0/18", "10.0.128.0/18");
        assertThat(NetworkLayout.subnetCidrs("192.168.7.0/24", 2)).containsExactly("192.168.7.0/26",
                "192.168.7.64/26");
    }

    @Test
    void sshOnlyFromTheAdminCidrAndEtcdOnlyBetweenControllers() {
        assertThat(NetworkLayout.nodesRules("c", "192.0.2.0/24")).contains(IngressRule.fromCidr("tcp", 22,
                "192.0.2.0/24")).noneMatch(r -> r.sourceGroupName() != null && !r.sourceGroupName().equals("c-nodes"));
        assertThat(NetworkLayout.controllersRules("c", "192.0.2.0/24"))
                .contains(IngressRule.fromGroup("tcp", 2380, "c-controllers"),
                        IngressRule.fromGroup("tcp", 6443, "c-nodes"),
                        IngressRule.fromGroup("tcp", 8132, "c-nodes"),
                        IngressRule.fromGroup("tcp", 9443, "c-nodes"))
                .noneMatch(r -> r.fromPort() == 22);
    }
}
