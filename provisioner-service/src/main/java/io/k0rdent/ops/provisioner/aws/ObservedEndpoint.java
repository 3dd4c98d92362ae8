package io.k0rdent.ops.provisioner.aws;

import java.util.Map;
import java.util.Set;

/**
 * A cluster's API endpoint as ELBv2 holds it.
 *
 * @param loadBalancerArn {@code null} when there is no load balancer
 * @param dnsName         the load balancer's DNS name: the cluster's API address
 * @param state           {@code provisioning}, {@code active}, {@code failed}, ...
 * @param targetGroups    port → its target group, for the ports that have one
 * @param listenerPorts   the ports the load balancer listens on
 */
public record ObservedEndpoint(String loadBalancerArn, String dnsName, String state, String scheme,
                               Map<Integer, Group> targetGroups, Set<Integer> listenerPorts) {

    public ObservedEndpoint {
        targetGroups = Map.copyOf(targetGroups);
        listenerPorts = Set.copyOf(listenerPorts);
    }

    /** A target group and the instances registered in it (in any health state). */
    public record Group(String arn, Set<String> targets) {

        public Group {
            targets = Set.copyOf(targets);
        }
    }

    /** What {@code CreateLoadBalancer} answers. */
    public record Created(String arn, String dnsName) {
    }

    public boolean isEmpty() {
        return loadBalancerArn == null && targetGroups.isEmpty();
    }
}
