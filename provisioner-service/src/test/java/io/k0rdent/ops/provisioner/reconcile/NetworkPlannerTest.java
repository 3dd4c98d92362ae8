package io.k0rdent.ops.provisioner.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.event.DriftDetected.DriftKind;
import io.k0rdent.ops.provisioner.aws.ClusterInventory;
import io.k0rdent.ops.provisioner.aws.ClusterTags;
import io.k0rdent.ops.provisioner.aws.IngressRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class NetworkPlannerTest {

    private static final List<String> ZONES = List.of("us-east-1a", "us-east-1b");
    private static final DesiredNetwork PUBLIC = desired(true, false);
    private static final DesiredNetwork PRIVATE = desired(false, false);

    private static DesiredNetwork desired(boolean publicIp, boolean zoneRedundant) {
        Map<String, List<IngressRule>> rules = new LinkedHashMap<>();
        rules.put("c-nodes", NetworkLayout.nodesRules("c", "192.0.2.0/24"));
        rules.put("c-controllers", NetworkLayout.controllersRules("c", "192.0.2.0/24", "10.0.0.0/24"));
        return new DesiredNetwork("c", "10.0.0.0/24", publicIp, zoneRedundant, ZONES, rules);
    }

    /** What EC2 reports for a cluster whose network is exactly {@code desired}, as a mutable builder. */
    private static final class Observed {
        ClusterInventory.Resource vpc = resource("vpc-1", Map.of(), null, List.of());
        List<ClusterInventory.Resource> subnets = new ArrayList<>();
        ClusterInventory.Resource gateway = resource("igw-1", Map.of(), null, List.of("vpc-1"));
        List<ClusterInventory.Resource> tables = new ArrayList<>();
        Map<String, ClusterInventory.Routing> routing = new HashMap<>();
        Map<String, ClusterInventory.Resource> groups = new HashMap<>();
        List<ClusterInventory.NatGatewayResource> nats = new ArrayList<>();
        List<ClusterInventory.Resource> addresses = new ArrayList<>();
        Set<String> publicSubnets = new HashSet<>();
        Map<String, List<String>> egress = new HashMap<>();

        Observed(DesiredNetwork desired) {
            for (DesiredNetwork.Subnet subnet : desired.subnets()) {
                String id = "subnet-" + subnet.role() + subnet.zoneIndex();
                subnets.add(resource(id, Map.of(NetworkReconciler.SUBNET_ROLE, subnet.role()), subnet.zone(),
                        List.of("vpc-1")));
                if (subnet.mapPublicIp()) {
                    publicSubnets.add(id);
                }
            }
            if (!desired.publicIp()) {
                for (int i = 0; i < (desired.zoneRedundant() ? ZONES.size() : 1); i++) {
                    nats.add(new ClusterInventory.NatGatewayResource("nat-" + i, "subnet-edge" + i, "available",
                            "eipalloc-" + i, null, Map.of()));
                    addresses.add(resource("eipalloc-" + i, Map.of(), null, List.of("eipassoc-" + i)));
                }
            }
            int n = 0;
            for (DesiredNetwork.RouteTable table : desired.routeTables()) {
                String id = "rtb-" + n++;
                tables.add(resource(id, Map.of(ClusterTags.NAME, table.name()), null, List.of()));
                Map<String, String> associations = new LinkedHashMap<>();
                table.subnets().forEach(key -> associations.put(subnetId(key), "assoc-" + subnetId(key)));
                String target = NetworkIds.isNat(table.target()) ? "nat-" + NetworkIds.natZone(table.target())
                        : "igw-1";
                routing.put(id, new ClusterInventory.Routing(associations, target));
            }
            Map<String, String> groupIds = Map.of("c-nodes", "sg-n", "c-controllers", "sg-c");
            desired.rules().forEach((name, rules) -> groups.put(name, resource(groupIds.get(name), Map.of(), null,
                    rules.stream().map(rule -> rule.key(groupIds)).toList())));
            desired.rules().keySet().forEach(name -> egress.put(name, List.of(IngressRule.key("-1", -1, -1,
                    "0.0.0.0/0"))));
        }

        static String subnetId(String key) {
            String[] parts = key.split("/");
            return "subnet-" + parts[1] + parts[2];
        }

        Observed routing(String table, UnaryOperator<ClusterInventory.Routing> change) {
            routing.put(table, change.apply(routing.get(table)));
            return this;
        }

        ClusterInventory inventory() {
            return new ClusterInventory("c", vpc, subnets, gateway, tables, groups, List.of(), routing, nats,
                    addresses, publicSubnets, egress);
        }
    }

    private static ClusterInventory.Resource resource(String id, Map<String, String> tags, String zone,
                                                      List<String> attachments) {
        return new ClusterInventory.Resource(id, tags, zone, null, attachments);
    }

    private static ClusterInventory nothing() {
        return new ClusterInventory("c", null, List.of(), null, List.of(), Map.of(), List.of());
    }

    private static List<String> described(List<NetworkAction> actions, ClusterInventory inventory,
                                          DesiredNetwork desired) {
        NetworkIds ids = NetworkIds.observed(inventory, desired);
        return actions.stream().map(a -> a.description(ids)).toList();
    }

    @Test
    void aPublicClusterFromNothingIsBuiltInDependencyOrder() {
        List<NetworkAction> plan = NetworkPlanner.plan(nothing(), PUBLIC);

        assertThat(plan).extracting(a -> a.getClass().getSimpleName()).containsExactly(
                "CreateVpc", "CreateSubnet", "CreateSubnet", "CreateInternetGateway", "AttachInternetGateway",
                "CreateRouteTable", "CreateDefaultRoute", "AssociateSubnet", "AssociateSubnet",
                "CreateSecurityGroup", "AuthorizeIngress", "AuthorizeIngress", "AuthorizeIngress",
                "AuthorizeIngress", "AuthorizeIngress",
                "CreateSecurityGroup", "AuthorizeIngress", "AuthorizeIngress", "AuthorizeIngress",
                "AuthorizeIngress", "AuthorizeIngress", "AuthorizeIngress", "AuthorizeIngress", "AuthorizeIngress");
        assertThat(plan.get(6)).isEqualTo(new NetworkAction.CreateDefaultRoute("c-public",
                NetworkIds.INTERNET_GATEWAY));
    }

    @Test
    void aNetworkAsDesiredNeedsNothing() {
        assertThat(NetworkPlanner.plan(new Observed(PUBLIC).inventory(), PUBLIC)).isEmpty();
        assertThat(NetworkPlanner.plan(new Observed(PRIVATE).inventory(), PRIVATE)).isEmpty();
        DesiredNetwork redundant = desired(false, true);
        assertThat(NetworkPlanner.plan(new Observed(redundant).inventory(), redundant)).isEmpty();
    }

    @Test
    void aRouteTableWhoseDefaultRouteFailedGetsOnlyTheRoute() {
        // Issue 18 (a): CreateRoute failed after the table was created; the next pass must add the route.
        ClusterInventory inventory = new Observed(PUBLIC)
                .routing("rtb-0", r -> new ClusterInventory.Routing(r.subnetAssociations(), null)).inventory();

        List<NetworkAction> plan = NetworkPlanner.plan(inventory, PUBLIC);

        assertThat(plan).containsExactly(new NetworkAction.CreateDefaultRoute("c-public",
                NetworkIds.INTERNET_GATEWAY));
        assertThat(plan.get(0).kind()).isEqualTo(DriftKind.ROUTE_CHANGED);
        assertThat(described(plan, inventory, PUBLIC))
                .containsExactly("route 0.0.0.0/0 → igw-1 was missing in rtb-0 (c-public)");
    }

    @Test
    void everySubnetWithoutItsAssociationIsAssociatedNotOnlyThoseCreatedInTheSameRun() {
        // Issue 18 (b): the first AssociateRouteTable failed; the subnets exist from the failed run.
        ClusterInventory inventory = new Observed(PUBLIC)
                .routing("rtb-0", r -> new ClusterInventory.Routing(Map.of(), r.defaultRouteTarget())).inventory();

        List<NetworkAction> plan = NetworkPlanner.plan(inventory, PUBLIC);

        assertThat(plan).containsExactly(
                new NetworkAction.AssociateSubnet("c-public", NetworkIds.subnet(NetworkLayout.NODES, 0)),
                new NetworkAction.AssociateSubnet("c-public", NetworkIds.subnet(NetworkLayout.NODES, 1)));
        assertThat(described(plan, inventory, PUBLIC)).containsExactly(
                "subnet-nodes0 was not associated with rtb-0 (c-public)",
                "subnet-nodes1 was not associated with rtb-0 (c-public)");
    }

    @Test
    void aMissingRuleIsAuthorizedAndOneNotInTheDesiredSetIsRevoked() {
        Observed observed = new Observed(PUBLIC);
        ClusterInventory.Resource controllers = observed.groups.get("c-controllers");
        List<String> rules = new ArrayList<>(controllers.attachments());
        rules.remove(IngressRule.key("tcp", 6443, 6443, "sg-n"));
        rules.add(IngressRule.key("tcp", 22, 22, "0.0.0.0/0"));
        observed.groups.put("c-controllers", resource("sg-c", Map.of(), null, rules));
        ClusterInventory inventory = observed.inventory();

        List<NetworkAction> plan = NetworkPlanner.plan(inventory, PUBLIC);

        assertThat(plan).containsExactly(
                new NetworkAction.AuthorizeIngress("c-controllers", IngressRule.fromGroup("tcp", 6443, "c-nodes")),
                new NetworkAction.RevokeIngress("c-controllers",
                        new IngressRule.Observed("tcp", 22, 22, "0.0.0.0/0")));
        assertThat(plan).allSatisfy(a -> assertThat(a.kind()).isEqualTo(DriftKind.SECURITY_GROUP_RULE_CHANGED));
        assertThat(described(plan, inventory, PUBLIC)).containsExactly(
                "ingress tcp/6443 from sg-n was missing in sg-c (c-controllers)",
                "ingress tcp/22 from 0.0.0.0/0 in sg-c (c-controllers) was not in Git");
    }

    @Test
    void aMissingDefaultEgressRuleIsAuthorizedAndAnyOtherEgressRuleRevoked() {
        Observed observed = new Observed(PUBLIC);
        observed.egress.put("c-nodes", List.of());
        observed.egress.put("c-controllers", List.of(IngressRule.key("-1", -1, -1, "0.0.0.0/0"),
                IngressRule.key("tcp", 25, 25, "192.0.2.0/24"), IngressRule.key("tcp", 443, 443, "sg-n")));

        List<NetworkAction> plan = NetworkPlanner.plan(observed.inventory(), PUBLIC);

        assertThat(plan).containsExactlyInAnyOrder(
                new NetworkAction.AuthorizeEgress("c-nodes", new IngressRule.Observed("-1", -1, -1, "0.0.0.0/0")),
                new NetworkAction.RevokeEgress("c-controllers", new IngressRule.Observed("tcp", 25, 25,
                        "192.0.2.0/24")),
                new NetworkAction.RevokeEgress("c-controllers", new IngressRule.Observed("tcp", 443, 443, "sg-n")));
        assertThat(plan).allSatisfy(a -> assertThat(a.kind()).isEqualTo(DriftKind.SECURITY_GROUP_RULE_CHANGED));
        assertThat(described(plan, observed.inventory(), PUBLIC)).containsExactlyInAnyOrder(
                "egress all traffic to 0.0.0.0/0 was missing in sg-n (c-nodes)",
                "egress tcp/25 to 192.0.2.0/24 in sg-c (c-controllers) was not the default allow-all",
                "egress tcp/443 to sg-n in sg-c (c-controllers) was not the default allow-all");

        observed.egress.clear();
        assertThat(NetworkPlanner.plan(observed.inventory(), PUBLIC)).as("egress not read: nothing to compare")
                .isEmpty();
    }

    @Test
    void aRuleWithoutPortsIsComparedAndRevokedAsEc2ReportsIt() {
        Observed observed = new Observed(PUBLIC);
        List<String> rules = new ArrayList<>(observed.groups.get("c-nodes").attachments());
        rules.remove(IngressRule.key("4", -1, -1, "sg-n"));
        rules.add(IngressRule.key("-1", -1, -1, "10.0.0.0/8"));
        observed.groups.put("c-nodes", resource("sg-n", Map.of(), null, rules));

        List<NetworkAction> plan = NetworkPlanner.plan(observed.inventory(), PUBLIC);

        assertThat(plan).containsExactly(
                new NetworkAction.AuthorizeIngress("c-nodes", IngressRule.protocolFromGroup("4", "c-nodes")),
                new NetworkAction.RevokeIngress("c-nodes", new IngressRule.Observed("-1", -1, -1, "10.0.0.0/8")));
        assertThat(described(plan, observed.inventory(), PUBLIC)).containsExactly(
                "ingress protocol 4 from sg-n was missing in sg-n (c-nodes)",
                "ingress all traffic from 10.0.0.0/8 in sg-n (c-nodes) was not in Git");
    }

    @Test
    void aDetachedGatewayIsAttachedAndAPublicSubnetWithoutPublicAddressesMapsThem() {
        Observed observed = new Observed(PUBLIC);
        observed.gateway = resource("igw-1", Map.of(), null, List.of());
        observed.publicSubnets.remove("subnet-nodes1");

        List<NetworkAction> plan = NetworkPlanner.plan(observed.inventory(), PUBLIC);

        assertThat(plan).containsExactly(new NetworkAction.MapPublicIp(NetworkIds.subnet(NetworkLayout.NODES, 1)),
                new NetworkAction.AttachInternetGateway());
        assertThat(described(plan, observed.inventory(), PUBLIC)).containsExactly(
                "subnet-nodes1 did not map public addresses on launch", "igw-1 was not attached to vpc-1");
    }

    @Test
    void aPrivateRouteToADeletedNatGatewayOrToAnotherZonesIsReplaced() {
        Observed observed = new Observed(PRIVATE);
        observed.nats.set(0, new ClusterInventory.NatGatewayResource("nat-0", "subnet-edge0", "deleted",
                "eipalloc-0", null, Map.of()));
        List<NetworkAction> blackhole = NetworkPlanner.plan(observed.inventory(), PRIVATE);
        assertThat(blackhole).containsExactly(
                new NetworkAction.ReplaceNatGateway(0, observed.nats.get(0)),
                new NetworkAction.ReplaceDefaultRoute("c-private-us-east-1a", "nat-0", NetworkIds.nat(0)),
                new NetworkAction.ReplaceDefaultRoute("c-private-us-east-1b", "nat-0", NetworkIds.nat(0)));

        // Zone-redundant egress turned on: zone b's table must move to zone b's gateway.
        DesiredNetwork redundant = desired(false, true);
        List<NetworkAction> turnedOn = NetworkPlanner.plan(new Observed(PRIVATE).inventory(), redundant);
        assertThat(turnedOn).containsExactly(
                new NetworkAction.ReplaceDefaultRoute("c-private-us-east-1b", "nat-0", NetworkIds.nat(1)));
    }

    @Test
    void aLostNatGatewayAndItsReleasedAddressAreReportedBeforeThePrivateRoutesThatFollowTheReplacement() {
        Observed observed = new Observed(PRIVATE);
        observed.nats.set(0, new ClusterInventory.NatGatewayResource("nat-0", "subnet-edge0", "failed",
                "eipalloc-0", "InternalError", Map.of()));
        observed.addresses.clear();
        ClusterInventory inventory = observed.inventory();

        List<NetworkAction> plan = NetworkPlanner.plan(inventory, PRIVATE);

        assertThat(plan).extracting(NetworkAction::kind).containsExactly(DriftKind.NAT_GATEWAY_LOST,
                DriftKind.ELASTIC_IP_RELEASED, DriftKind.ROUTE_CHANGED, DriftKind.ROUTE_CHANGED);
        assertThat(described(plan, inventory, PRIVATE).subList(0, 2)).containsExactly(
                "NAT gateway nat-0 in subnet-edge0 (nat/0) failed (InternalError)",
                "Elastic IP eipalloc-0 of NAT gateway nat-0 (nat/0) was released outside Git");
        assertThat(plan.get(1).resource(NetworkIds.observed(inventory, PRIVATE))).isEqualTo("eipalloc-0");

        // Replaced: the failed one stays listed for an hour, but a usable gateway serves the zone.
        observed.nats.add(new ClusterInventory.NatGatewayResource("nat-9", "subnet-edge0", "available",
                "eipalloc-9", null, Map.of()));
        observed.routing("rtb-1", r -> new ClusterInventory.Routing(r.subnetAssociations(), "nat-9"));
        observed.routing("rtb-2", r -> new ClusterInventory.Routing(r.subnetAssociations(), "nat-9"));
        assertThat(NetworkPlanner.plan(observed.inventory(), PRIVATE)).isEmpty();
    }

    @Test
    void aSubnetAssociatedWithAnotherTableIsMovedBackNotAssociatedAgain() {
        // EC2 keeps one explicit association per subnet: AssociateRouteTable would be Resource.AlreadyAssociated.
        Observed observed = new Observed(PUBLIC)
                .routing("rtb-0", r -> new ClusterInventory.Routing(Map.of("subnet-nodes0", "assoc-subnet-nodes0"),
                        r.defaultRouteTarget()));
        observed.routing.put("rtb-foreign", new ClusterInventory.Routing(Map.of("subnet-nodes1", "assoc-x"), null));
        ClusterInventory inventory = observed.inventory();

        List<NetworkAction> plan = NetworkPlanner.plan(inventory, PUBLIC);

        assertThat(plan).containsExactly(new NetworkAction.ReplaceSubnetAssociation("c-public",
                NetworkIds.subnet(NetworkLayout.NODES, 1), "rtb-foreign", "assoc-x"));
        assertThat(plan.get(0).kind()).isEqualTo(DriftKind.ROUTE_ASSOCIATION_CHANGED);
        assertThat(described(plan, inventory, PUBLIC))
                .containsExactly("route table of subnet-nodes1 was rtb-foreign instead of rtb-0 (c-public)");
    }

    @Test
    void aPrivateClusterWithoutEgressRoutesGetsThemToItsNatGateway() {
        Observed observed = new Observed(PRIVATE)
                .routing("rtb-1", r -> new ClusterInventory.Routing(Map.of(), null));
        ClusterInventory inventory = observed.inventory();

        List<NetworkAction> plan = NetworkPlanner.plan(inventory, PRIVATE);

        assertThat(plan).containsExactly(new NetworkAction.CreateDefaultRoute("c-private-us-east-1a",
                        NetworkIds.nat(0)),
                new NetworkAction.AssociateSubnet("c-private-us-east-1a", NetworkIds.subnet(NetworkLayout.NODES, 0)));
        assertThat(described(plan, inventory, PRIVATE)).containsExactly(
                "route 0.0.0.0/0 → nat-0 was missing in rtb-1 (c-private-us-east-1a)",
                "subnet-nodes0 was not associated with rtb-1 (c-private-us-east-1a)");
    }

    @Test
    void aHalfBuiltNetworkIsCompletedFromWhereItStopped() {
        // CreateSubnet of the second zone failed: the VPC and the first subnet exist, nothing else.
        Observed full = new Observed(PUBLIC);
        ClusterInventory inventory = new ClusterInventory("c", full.vpc, List.of(full.subnets.get(0)), null,
                List.of(), Map.of(), List.of(), Map.of(), List.of(), List.of(), Set.of("subnet-nodes0"));

        List<NetworkAction> plan = NetworkPlanner.plan(inventory, PUBLIC);

        assertThat(plan).first().isEqualTo(new NetworkAction.CreateSubnet(PUBLIC.subnets().get(1)));
        assertThat(plan).extracting(a -> a.getClass().getSimpleName()).doesNotContain("CreateVpc")
                .contains("CreateInternetGateway", "CreateRouteTable", "CreateSecurityGroup");
    }
}
