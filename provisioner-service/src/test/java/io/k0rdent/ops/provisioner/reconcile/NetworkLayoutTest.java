package io.k0rdent.ops.provisioner.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k0rdent.ops.provisioner.aws.IngressRule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkLayoutTest {

    @Test
    void nodesSubnetsAreQuartersOneToThreeAndEdgeSubnetsSixteenthsOfQuarterZero() {
        assertThat(List.of(0, 1, 2).stream().map(i -> NetworkLayout.nodesSubnetCidr("10.0.0.0/16", i)))
                .containsExactly("10.0.64.0/18", "10.0.128.0/18", "10.0.192.0/18");
        assertThat(List.of(0, 1, 2).stream().map(i -> NetworkLayout.edgeSubnetCidr("10.0.0.0/16", i)))
                .containsExactly("10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20");
        // The smallest VPC: /28 edge subnets keep the 8 free addresses a load balancer needs (16 - 5 reserved).
        assertThat(NetworkLayout.edgeSubnetCidr("192.168.7.0/24", 2)).isEqualTo("192.168.7.32/28");
        assertThat(NetworkLayout.nodesSubnetCidr("192.168.7.0/24", 0)).isEqualTo("192.168.7.64/26");
        assertThatThrownBy(() -> NetworkLayout.nodesSubnetCidr("10.0.0.0/16", 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noTwoSubnetsOfAClusterOverlap() {
        for (String vpc : List.of("10.0.0.0/16", "172.16.32.0/20", "192.168.7.0/24")) {
            List<long[]> ranges = new ArrayList<>();
            for (int i = 0; i < NetworkLayout.MAX_ZONES; i++) {
                ranges.add(range(NetworkLayout.nodesSubnetCidr(vpc, i)));
                ranges.add(range(NetworkLayout.edgeSubnetCidr(vpc, i)));
            }
            for (int a = 0; a < ranges.size(); a++) {
                for (int b = a + 1; b < ranges.size(); b++) {
                    assertThat(ranges.get(a)[1] < ranges.get(b)[0] || ranges.get(b)[1] < ranges.get(a)[0])
                            .as("%s: subnets %d and %d overlap", vpc, a, b).isTrue();
                }
            }
        }
    }

    private static long[] range(String cidr) {
        String[] parts = cidr.split("/");
        long base = 0;
        for (String octet : parts[0].split("\\.")) {
            base = (base << 8) | Integer.parseInt(octet);
        }
        return new long[] {base, base + (1L << (32 - Integer.parseInt(parts[1]))) - 1};
    }

    @Test
    void nodesFollowK0sPortTableWithSshOnlyFromTheAdminCidr() {
        assertThat(NetworkLayout.nodesRules("c", "192.0.2.0/24"))
                .contains(IngressRule.fromCidr("tcp", 22, "192.0.2.0/24"),
                        IngressRule.fromGroup("tcp", 10250, "c-nodes"),
                        IngressRule.fromGroup("tcp", 179, "c-nodes"),
                        IngressRule.fromGroup("udp", 4789, "c-nodes"),
                        // kube-router's overlay between subnets: IP-in-IP, IP protocol 4, no ports.
                        IngressRule.protocolFromGroup("4", "c-nodes"))
                .noneMatch(r -> r.sourceGroupName() != null && !r.sourceGroupName().equals("c-nodes"))
                .filteredOn(r -> r.cidr() != null).extracting(IngressRule::fromPort).containsOnly(22);
    }

    @Test
    void controllersFollowK0sPortTableAndLetTheLoadBalancerIn() {
        assertThat(NetworkLayout.controllersRules("c", "192.0.2.0/24", "10.1.0.0/16"))
                .contains(IngressRule.fromGroup("tcp", 2380, "c-controllers"),
                        IngressRule.fromGroup("tcp", 9443, "c-controllers"),
                        IngressRule.fromGroup("tcp", 6443, "c-nodes"),
                        IngressRule.fromGroup("tcp", 8132, "c-nodes"),
                        IngressRule.fromCidr("tcp", 6443, "192.0.2.0/24"),
                        IngressRule.fromCidr("tcp", 6443, "10.1.0.0/16"),
                        IngressRule.fromCidr("tcp", 9443, "10.1.0.0/16"),
                        IngressRule.fromCidr("tcp", 8132, "10.1.0.0/16"))
                .noneMatch(r -> r.fromPort() == 22)
                // etcd never from outside the controllers
                .filteredOn(r -> r.fromPort() == 2380).extracting(IngressRule::sourceGroupName)
                .containsOnly("c-controllers");
    }
}
