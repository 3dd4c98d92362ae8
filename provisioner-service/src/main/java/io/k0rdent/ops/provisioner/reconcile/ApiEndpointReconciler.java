package io.k0rdent.ops.provisioner.reconcile;

import io.k0rdent.ops.provisioner.ProvisionerProperties;
import io.k0rdent.ops.provisioner.aws.Ec2Gateway;
import io.k0rdent.ops.provisioner.aws.LoadBalancerCalls;
import io.k0rdent.ops.provisioner.aws.LoadBalancerNames;
import io.k0rdent.ops.provisioner.aws.ObservedEndpoint;
import io.k0rdent.ops.provisioner.aws.Polling;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cluster's API endpoint (shared decision S2 in {@code DESIGN.md}): one network load balancer per cluster, single
 * controller or not, so that the API address survives replacing any controller. It listens on 6443 (API), 9443 (k0s
 * join) and 8132 (konnectivity), each forwarding to a TCP target group of the running controllers with TCP health
 * checks. Internet-facing in the public nodes subnets of a public cluster, internal in the private nodes subnets of a
 * private one. Every part is compared with what ELBv2 holds, and registrations follow the controllers.
 */
public class ApiEndpointReconciler {

    /** The ports k0s serves on controllers that clients and nodes reach through the load balancer. */
    public static final List<Integer> PORTS = List.of(6443, 9443, 8132);

    private final ProvisionerProperties properties;

    public ApiEndpointReconciler(ProvisionerProperties properties) {
        this.properties = properties;
    }

    /**
     * Brings the endpoint to its desired shape with exactly {@code controllers} registered.
     *
     * @return the load balancer's DNS name, the cluster's API address
     */
    public String ensure(Ec2Gateway ec2, String cluster, long generation, ClusterNetwork network, boolean publicIp,
                         Set<String> controllers) {
        LoadBalancerCalls elb = ec2.loadBalancers();
        LoadBalancerNames names = LoadBalancerNames.of(cluster);
        ObservedEndpoint seen = elb.observe(names, PORTS);
        Map<String, String> tags = EgressReconciler.tags(cluster, generation, names.loadBalancer());
        String arn = seen.loadBalancerArn();
        String dnsName = seen.dnsName();
        if (arn == null) {
            ObservedEndpoint.Created created = elb.createLoadBalancer(names.loadBalancer(), network.subnetIds(),
                    publicIp, tags);
            arn = created.arn();
            dnsName = created.dnsName();
        }
        for (int port : PORTS) {
            ObservedEndpoint.Group group = seen.targetGroups().get(port);
            String groupArn = group != null ? group.arn()
                    : elb.createTargetGroup(names.targetGroup(port), port, network.vpcId(),
                            EgressReconciler.tags(cluster, generation, names.targetGroup(port)));
            if (!seen.listenerPorts().contains(port)) {
                elb.createListener(arn, port, groupArn);
            }
            Set<String> registered = group == null ? Set.of() : group.targets();
            elb.register(groupArn, controllers.stream().filter(id -> !registered.contains(id)).sorted().toList());
            elb.deregister(groupArn, registered.stream().filter(id -> !controllers.contains(id)).sorted().toList());
        }
        return dnsName;
    }

    /**
     * What differs between the endpoint ELBv2 holds and its desired shape with exactly {@code controllers} registered,
     * one line each (empty when nothing does): the drift check's view, repaired by {@link #ensure}.
     */
    public List<String> differences(Ec2Gateway ec2, String cluster, Set<String> controllers) {
        LoadBalancerNames names = LoadBalancerNames.of(cluster);
        ObservedEndpoint seen = ec2.loadBalancers().observe(names, PORTS);
        List<String> found = new java.util.ArrayList<>();
        if (seen.loadBalancerArn() == null) {
            found.add("the API load balancer " + names.loadBalancer() + " is missing");
            return found;
        }
        for (int port : PORTS) {
            ObservedEndpoint.Group group = seen.targetGroups().get(port);
            if (group == null) {
                found.add("target group " + names.targetGroup(port) + " is missing");
                continue;
            }
            if (!seen.listenerPorts().contains(port)) {
                found.add("listener " + port + " of " + names.loadBalancer() + " is missing");
            }
            controllers.stream().filter(id -> !group.targets().contains(id)).sorted()
                    .forEach(id -> found.add(id + " is not registered in " + names.targetGroup(port)));
            group.targets().stream().filter(id -> !controllers.contains(id)).sorted()
                    .forEach(id -> found.add(id + " is registered in " + names.targetGroup(port)
                            + " but is not a controller"));
        }
        return found;
    }

    /**
     * Deletes the load balancer (its listeners go with it) and the target groups, then waits until ELBv2 has released
     * the load balancer's network interfaces: until then they keep the subnets, and so the VPC, in use
     * ({@code DependencyViolation}). A missing part counts as deleted.
     */
    public void delete(Ec2Gateway ec2, String cluster) {
        LoadBalancerCalls elb = ec2.loadBalancers();
        LoadBalancerNames names = LoadBalancerNames.of(cluster);
        ObservedEndpoint seen = elb.observe(names, PORTS);
        if (seen.loadBalancerArn() != null) {
            elb.deleteLoadBalancer(seen.loadBalancerArn());
        }
        seen.targetGroups().values().forEach(group -> elb.deleteTargetGroup(group.arn()));
        if (seen.loadBalancerArn() != null) {
            waitUntilInterfacesReleased(ec2, seen.loadBalancerArn());
        }
    }

    private void waitUntilInterfacesReleased(Ec2Gateway ec2, String arn) {
        // An NLB's interfaces are described "ELB net/<name>/<id>", the tail of its ARN.
        String description = "ELB " + arn.substring(arn.indexOf(":loadbalancer/") + ":loadbalancer/".length());
        Polling.until(properties, "Wait interfaces released " + description,
                "the load balancer's network interfaces are still in use",
                () -> ec2.networkInterfacesUsing("description", description).isEmpty());
    }
}
