package io.k0rdent.ops.provisioner.reconcile;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.provisioner.ProvisionerProperties;
import io.k0rdent.ops.provisioner.aws.ClusterInventory;
import io.k0rdent.ops.provisioner.aws.ClusterTags;
import io.k0rdent.ops.provisioner.aws.Ec2Failure;
import io.k0rdent.ops.provisioner.aws.Ec2Gateway;
import io.k0rdent.ops.provisioner.aws.IngressRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings a cluster's network to its desired shape ({@link DesiredNetwork}): observes it (the cluster's
 * {@link ClusterInventory}), lets {@link NetworkPlanner} decide the differences, and carries them out in the plan's
 * order, NAT gateways through {@link EgressReconciler}. Nothing is inferred from what an earlier run did, so running
 * it again (after a crash, a failed call, or for every generation) creates nothing twice and completes what is
 * missing.
 */
public class NetworkReconciler {

    /** Tag naming a subnet's role: {@link NetworkLayout#NODES} or {@link NetworkLayout#EDGE}. */
    public static final String SUBNET_ROLE = "k0rdent.io/subnet-role";

    private final ProvisionerProperties properties;
    private final EgressReconciler egress;

    public NetworkReconciler(ProvisionerProperties properties, EgressReconciler egress) {
        this.properties = properties;
        this.egress = egress;
    }

    /** The network {@code definition} asks for in {@code zones}. */
    public DesiredNetwork desired(ClusterDefinition definition, List<String> zones) {
        return DesiredNetwork.of(definition, zones, properties.requireAdminCidr());
    }

    /** Observes, plans and applies. */
    public ClusterNetwork ensure(Ec2Gateway ec2, ClusterInventory inventory, ClusterDefinition definition,
                                 long generation, List<String> zones) {
        DesiredNetwork desired = desired(definition, zones);
        return apply(ec2, inventory, desired, generation, NetworkPlanner.plan(inventory, desired));
    }

    /**
     * Carries out {@code actions} ({@link NetworkPlanner#plan} of {@code inventory} and {@code desired}); for a
     * private cluster also ensures its NAT gateways (available before any node is launched) and retires those no
     * route uses any more.
     */
    public ClusterNetwork apply(Ec2Gateway ec2, ClusterInventory inventory, DesiredNetwork desired, long generation,
                                List<NetworkAction> actions) {
        NetworkIds ids = NetworkIds.observed(inventory, desired);
        Executor executor = new Executor(ec2, inventory, desired, generation, ids);
        for (int i = 0; i < actions.size(); i++) {
            NetworkAction action = actions.get(i);
            if (action instanceof NetworkAction.AuthorizeIngress first) {
                // One call per group for its consecutive missing rules, as AWS accepts them.
                List<IngressRule> rules = new ArrayList<>();
                while (i < actions.size() && actions.get(i) instanceof NetworkAction.AuthorizeIngress next
                        && next.group().equals(first.group())) {
                    rules.add(next.rule());
                    i++;
                }
                i--;
                ec2.network().authorizeIngress(ids.require(first.group()), rules, groupIds(desired, ids));
            } else if (action instanceof NetworkAction.RevokeIngress first) {
                List<IngressRule.Observed> rules = new ArrayList<>();
                while (i < actions.size() && actions.get(i) instanceof NetworkAction.RevokeIngress next
                        && next.group().equals(first.group())) {
                    rules.add(next.rule());
                    i++;
                }
                i--;
                ec2.network().revokeIngress(ids.require(first.group()), rules);
            } else {
                executor.execute(action);
            }
        }
        if (!desired.publicIp()) {
            egress.retireUnwanted(ec2.egress(), inventory, desired.cluster(), desired.zones(), executor.nats());
        }
        List<String> nodeSubnets = new ArrayList<>();
        for (int i = 0; i < desired.zones().size(); i++) {
            nodeSubnets.add(ids.require(NetworkIds.subnet(NetworkLayout.NODES, i)));
        }
        return new ClusterNetwork(ids.require(NetworkIds.VPC), nodeSubnets, desired.zones(), groupIds(desired, ids));
    }

    private static Map<String, String> groupIds(DesiredNetwork desired, NetworkIds ids) {
        Map<String, String> groups = new LinkedHashMap<>();
        desired.rules().keySet().forEach(name -> {
            if (ids.get(name) != null) {
                groups.put(name, ids.get(name));
            }
        });
        return groups;
    }

    /** Runs one action at a time against EC2, recording what it creates. */
    private final class Executor {

        private final Ec2Gateway ec2;
        private final ClusterInventory inventory;
        private final DesiredNetwork desired;
        private final long generation;
        private final NetworkIds ids;
        private Map<Integer, String> nats;

        Executor(Ec2Gateway ec2, ClusterInventory inventory, DesiredNetwork desired, long generation,
                 NetworkIds ids) {
            this.ec2 = ec2;
            this.inventory = inventory;
            this.desired = desired;
            this.generation = generation;
            this.ids = ids;
        }

        void execute(NetworkAction action) {
            String cluster = desired.cluster();
            String vpcId = ids.get(NetworkIds.VPC);
            if (action instanceof NetworkAction.CreateVpc vpc) {
                Map<String, String> tags = tags(cluster, generation, cluster);
                tags.put(ClusterTags.ZONES, String.join(",", desired.zones()));
                ids.put(NetworkIds.VPC, ec2.network().createVpc(vpc.cidr(), tags));
            } else if (action instanceof NetworkAction.CreateSubnet create) {
                DesiredNetwork.Subnet subnet = create.subnet();
                Map<String, String> tags = tags(cluster, generation, subnet.name(cluster));
                tags.put(SUBNET_ROLE, subnet.role());
                ids.put(subnet.key(), ec2.network().createSubnet(vpcId, subnet.cidr(), subnet.zone(),
                        subnet.mapPublicIp(), tags));
            } else if (action instanceof NetworkAction.MapPublicIp map) {
                ec2.network().mapPublicIpOnLaunch(ids.require(map.subnet()));
            } else if (action instanceof NetworkAction.CreateInternetGateway) {
                ids.put(NetworkIds.INTERNET_GATEWAY,
                        ec2.network().createInternetGateway(tags(cluster, generation, cluster)));
            } else if (action instanceof NetworkAction.AttachInternetGateway) {
                ec2.network().attachInternetGateway(ids.require(NetworkIds.INTERNET_GATEWAY), vpcId);
            } else if (action instanceof NetworkAction.CreateRouteTable table) {
                ids.put(table.name(), ec2.network().createRouteTable(vpcId, tags(cluster, generation, table.name())));
            } else if (action instanceof NetworkAction.CreateDefaultRoute route) {
                if (NetworkIds.isNat(route.target())) {
                    ec2.egress().addDefaultRoute(ids.require(route.table()), nat(route.target()));
                } else {
                    ec2.network().addDefaultRoute(ids.require(route.table()), ids.require(route.target()));
                }
            } else if (action instanceof NetworkAction.ReplaceDefaultRoute route) {
                if (NetworkIds.isNat(route.target())) {
                    ec2.egress().replaceDefaultRoute(ids.require(route.table()), nat(route.target()));
                } else {
                    ec2.network().replaceDefaultRoute(ids.require(route.table()), ids.require(route.target()));
                }
            } else if (action instanceof NetworkAction.AssociateSubnet association) {
                ec2.network().associateRouteTable(ids.require(association.table()), ids.require(association.subnet()));
            } else if (action instanceof NetworkAction.ReplaceNatGateway
                    || action instanceof NetworkAction.ReplaceElasticIp) {
                nats(); // ensures each zone's gateway: a new one, with a new address where the old one is gone
            } else if (action instanceof NetworkAction.ReplaceSubnetAssociation moved) {
                ec2.network().replaceRouteTableAssociation(moved.associationId(), ids.require(moved.table()));
            } else if (action instanceof NetworkAction.CreateSecurityGroup group) {
                ids.put(group.name(), ec2.network().createSecurityGroup(vpcId, group.name(), group.description(),
                        tags(cluster, generation, group.name())));
            } else if (action instanceof NetworkAction.AuthorizeIngress rule) {
                ec2.network().authorizeIngress(ids.require(rule.group()), List.of(rule.rule()), groupIds(desired, ids));
            } else if (action instanceof NetworkAction.RevokeIngress rule) {
                ec2.network().revokeIngress(ids.require(rule.group()), List.of(rule.rule()));
            } else if (action instanceof NetworkAction.AuthorizeEgress rule) {
                ec2.network().authorizeEgress(ids.require(rule.group()), List.of(rule.rule()));
            } else if (action instanceof NetworkAction.RevokeEgress rule) {
                ec2.network().revokeEgress(ids.require(rule.group()), List.of(rule.rule()));
            }
        }

        private String nat(String key) {
            return nats().get(NetworkIds.natZone(key));
        }

        /** The NAT gateways by zone index, ensured (and waited for) once per pass, when first needed. */
        Map<Integer, String> nats() {
            if (nats == null) {
                List<String> edge = new ArrayList<>();
                for (int i = 0; i < desired.zones().size(); i++) {
                    edge.add(ids.require(NetworkIds.subnet(NetworkLayout.EDGE, i)));
                }
                nats = egress.gateways(ec2.egress(), inventory, desired.cluster(), generation,
                        desired.zoneRedundant(), desired.zones(), edge);
            }
            return nats;
        }
    }

    /**
     * The zones a cluster uses: 2..3 Availability Zones of the region (never Local Zones) that offer every instance
     * type the cluster asks for, in name order. A cluster keeps the zones its VPC was created for (older clusters,
     * whose VPC does not name them: the zones of their nodes subnets).
     */
    public List<String> zones(Ec2Gateway ec2, ClusterInventory inventory, List<String> instanceTypes) {
        String tagged = inventory.vpcTag(ClusterTags.ZONES);
        if (tagged != null && !tagged.isBlank()) {
            return List.of(tagged.split(","));
        }
        List<String> existing = inventory.subnets().stream()
                .filter(s -> NetworkLayout.NODES.equals(s.tags().getOrDefault(SUBNET_ROLE, NetworkLayout.NODES)))
                .map(ClusterInventory.Resource::availabilityZone).distinct().sorted().toList();
        if (!existing.isEmpty()) {
            return existing;
        }
        List<String> available = ec2.catalog().availabilityZones();
        List<String> offering = ec2.catalog().zonesOffering(instanceTypes, available);
        if (offering.size() < 2) {
            throw new Ec2Failure(ProvisioningFailed.FailureReason.INVALID_PARAMETER, "Unsupported",
                    "DescribeInstanceTypeOfferings " + ec2.region(),
                    "region " + ec2.region() + " has " + (available.size() < 2 ? "fewer than two availability zones"
                            : "fewer than two availability zones offering " + String.join(" and ", instanceTypes)
                            + " (offered in: " + String.join(", ", offering) + ")"), false, null);
        }
        int count = Math.max(2, Math.min(Math.min(properties.zoneCount(), NetworkLayout.MAX_ZONES),
                offering.size()));
        return offering.subList(0, count);
    }

    private static Map<String, String> tags(String cluster, long generation, String name) {
        return EgressReconciler.tags(cluster, generation, name);
    }
}
