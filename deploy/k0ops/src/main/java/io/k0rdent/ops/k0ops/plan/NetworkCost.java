package io.k0rdent.ops.k0ops.plan;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import java.math.BigDecimal;
import java.util.List;

/**
 * What a cluster costs a month besides its instances, from what the provisioner builds for it
 * ({@code provisioner-service/DESIGN.md}, "Network per cluster"): one network load balancer for the API; for a
 * private cluster one NAT gateway and its Elastic IP (one per zone, {@link #ZONES}, with zone-redundant egress); for a
 * public cluster a public IPv4 address per node; and a gp3 root volume per node ({@code spec.nodes.rootVolumeGiB}, else
 * {@link #ROOT_VOLUME_GIB}). Usage charges (data processed, capacity units) are not estimated.
 */
final class NetworkCost {

    /** The provisioner's default root volume ({@code k0rdent.provisioner.instances.root-volume-size-gib}). */
    static final int ROOT_VOLUME_GIB = 40;
    /** The zones a cluster spreads over with the provisioner's default {@code zone-count}. */
    static final int ZONES = 3;

    private NetworkCost() {
    }

    static MonthlyCost of(PriceTable prices, ClusterDefinition definition) {
        if (!prices.pricesNetworks()) {
            return MonthlyCost.ZERO;
        }
        String region = definition.spec().region();
        int nodes = definition.spec().nodes().controllers().count() + definition.spec().nodes().workers().count();
        return prices.network(region).map(p -> {
            BigDecimal hours = BigDecimal.valueOf(prices.hoursPerMonth());
            BigDecimal hourly = p.networkLoadBalancerHour();
            if (definition.spec().networking().publicIp()) {
                hourly = hourly.add(p.publicIpv4Hour().multiply(BigDecimal.valueOf(nodes)));
            } else {
                int gateways = definition.spec().networking().zoneRedundant() ? ZONES : 1;
                hourly = hourly.add(p.natGatewayHour().add(p.publicIpv4Hour()).multiply(BigDecimal.valueOf(gateways)));
            }
            Integer size = definition.spec().nodes().rootVolumeGiB();
            BigDecimal volumes = p.gp3GibMonth().multiply(BigDecimal.valueOf(
                    (long) (size != null ? size : ROOT_VOLUME_GIB) * nodes));
            return new MonthlyCost(hourly.multiply(hours).add(volumes), List.of());
        }).orElseGet(() -> new MonthlyCost(BigDecimal.ZERO, List.of(region + "/network")));
    }
}
