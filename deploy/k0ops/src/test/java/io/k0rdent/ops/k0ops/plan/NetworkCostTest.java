package io.k0rdent.ops.k0ops.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A cluster's network is part of its monthly cost: the API load balancer, NAT egress or public addresses, volumes. */
class NetworkCostTest {

    private static final PriceTable PRICES = PriceTable.parse(new ByteArrayInputStream("""
            source: test
            hoursPerMonth: 1000
            network:
              us-east-1:
                networkLoadBalancerHour: 0.02
                natGatewayHour: 0.04
                publicIpv4Hour: 0.005
                gp3GibMonth: 0.1
            regions:
              us-east-1:
                t3.large: 0.08
            """.getBytes(StandardCharsets.UTF_8)));

    private static ClusterDefinition cluster(String region, boolean publicIp, int controllers, int workers) {
        String yaml = PlanFixtures.yaml("net-01", region, "10.30.0.0/16", controllers, "t3.large", workers,
                "t3.large", "1.28.3+k0s.0", false);
        if (!publicIp) {
            yaml = yaml.replace("publicIp: true", "publicIp: false");
        }
        return PlanFixtures.VALIDATOR.validate("clusters/net-01.yaml", yaml.getBytes(StandardCharsets.UTF_8))
                .definition();
    }

    @Test
    void aPrivateClusterPaysForItsLoadBalancerNatGatewayElasticIpAndVolumes() {
        // 1000 h × (0.02 NLB + 0.04 NAT + 0.005 EIP) = 65; 4 nodes × 40 GiB × 0.1 = 16
        assertThat(NetworkCost.of(PRICES, cluster("us-east-1", false, 1, 3)).usd()).isEqualByComparingTo("81");
    }

    @Test
    void aPublicClusterPaysForEachNodesAddressInsteadOfANatGateway() {
        // 1000 h × (0.02 NLB + 4 × 0.005) = 40; 4 × 40 × 0.1 = 16
        assertThat(NetworkCost.of(PRICES, cluster("us-east-1", true, 1, 3)).usd()).isEqualByComparingTo("56");
    }

    @Test
    void zoneRedundantEgressPaysForAGatewayPerZoneAndBiggerVolumesForTheirSize() {
        String yaml = PlanFixtures.yaml("net-01", "us-east-1", "10.30.0.0/16", 1, "t3.large", 3, "t3.large",
                        "1.28.3+k0s.0", false).replace("publicIp: true", "publicIp: false\n    zoneRedundantEgress: true")
                .replace("  nodes:\n", "  nodes:\n    rootVolumeGiB: 100\n");
        ClusterDefinition d = PlanFixtures.VALIDATOR.validate("clusters/net-01.yaml", yaml.getBytes(StandardCharsets.UTF_8)).definition();
        // 1000 h × (0.02 NLB + 3 × (0.04 NAT + 0.005 EIP)) = 155; 4 nodes × 100 GiB × 0.1 = 40
        assertThat(NetworkCost.of(PRICES, d).usd()).isEqualByComparingTo("195");
    }

    @Test
    void aRegionWithoutNetworkPricesIsUnknownNotFree() {
        MonthlyCost cost = NetworkCost.of(PRICES, cluster("eu-west-1", false, 1, 1));
        assertThat(cost.complete()).isFalse();
        assertThat(cost.unpriced()).containsExactly("eu-west-1/network");
        // A table without a network section prices instances only, as before networks were priced.
        assertThat(NetworkCost.of(PlanFixtures.PRICES, cluster("eu-west-1", false, 1, 1)).complete()).isTrue();
    }
}
