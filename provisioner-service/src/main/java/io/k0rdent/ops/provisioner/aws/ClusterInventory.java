package io.k0rdent.ops.provisioner.aws;

import java.util.List;
import java.util.Map;

/**
 * Every resource tagged for one cluster, as found in EC2 at one moment. Terminated instances are included (they
 * stay visible for a while in EC2), so callers filter by state.
 *
 * @param vpc            the VPC, or {@code null} when there is none
 * @param securityGroups group name → group (its attachments are its ingress rules as {@link IngressRule#key()})
 * @param instances      all instances tagged for the cluster, in any state
 */
public record ClusterInventory(
        String cluster,
        Resource vpc,
        List<Resource> subnets,
        Resource internetGateway,
        List<Resource> routeTables,
        Map<String, Resource> securityGroups,
        List<ObservedInstance> instances) {

    public ClusterInventory {
        subnets = List.copyOf(subnets);
        routeTables = List.copyOf(routeTables);
        securityGroups = Map.copyOf(securityGroups);
        instances = List.copyOf(instances);
    }

    /** A tagged resource: its id, tags and kind-specific details. */
    public record Resource(String id, Map<String, String> tags, String availabilityZone, String cidr,
                           List<String> attachments) {

        public Resource {
            tags = tags == null ? Map.of() : Map.copyOf(tags);
            attachments = attachments == null ? List.of() : List.copyOf(attachments);
        }
    }

    /** Instances that are pending or running. */
    public List<ObservedInstance> liveInstances() {
        return instances.stream().filter(ObservedInstance::isLive).toList();
    }

    /** Whether nothing tagged for the cluster is left (terminated instances do not count). */
    public boolean isEmpty() {
        return vpc == null && subnets.isEmpty() && internetGateway == null && routeTables.isEmpty()
                && securityGroups.isEmpty() && instances.stream().allMatch(i -> "terminated".equals(i.state()));
    }

    /** The VPC's tag {@code key}, or {@code null}. */
    public String vpcTag(String key) {
        return vpc == null ? null : vpc.tags().get(key);
    }
}
