package io.k0rdent.ops.provisioner.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.event.NodeRole;
import io.k0rdent.ops.provisioner.aws.ClusterInventory;
import io.k0rdent.ops.provisioner.aws.ObservedInstance;
import io.k0rdent.ops.provisioner.ledger.DeletionStep.Action;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeletionOrderTest {

    private static ObservedInstance instance(String id, String state) {
        return new ObservedInstance(id, NodeRole.WORKER, 0, 1, "t3.large", "a", "subnet-1", "10.0.0.1", null, state,
                null, Map.of());
    }

    private static ClusterInventory.Resource resource(String id, List<String> attachments) {
        return new ClusterInventory.Resource(id, Map.of(), null, null, attachments);
    }

    private static final ClusterInventory PUBLIC_CLUSTER = new ClusterInventory("c",
            resource("vpc-1", List.of()),
            List.of(resource("subnet-1", List.of()), resource("subnet-2", List.of())),
            resource("igw-1", List.of("vpc-1")),
            List.of(resource("rtb-1", List.of("rtbassoc-1", "rtbassoc-2"))),
            Map.of("c-nodes", resource("sg-n", List.of()), "c-controllers", resource("sg-c", List.of())),
            List.of(instance("i-1", "running"), instance("i-2", "stopped"), instance("i-3", "terminated")));

    @Test
    void instancesFirstThenGroupsRouteTablesSubnetsGatewayAndTheVpcLast() {
        List<DeletionStep> steps = DeletionOrder.steps(ResourceLedger.from(PUBLIC_CLUSTER));
        assertThat(steps).extracting(DeletionStep::action).containsExactly(
                Action.TERMINATE_INSTANCES, Action.WAIT_TERMINATED,
                Action.DELETE_SECURITY_GROUP, Action.DELETE_SECURITY_GROUP,
                Action.DISASSOCIATE_ROUTE_TABLE, Action.DISASSOCIATE_ROUTE_TABLE, Action.DELETE_ROUTE_TABLE,
                Action.DELETE_SUBNET, Action.DELETE_SUBNET,
                Action.DETACH_INTERNET_GATEWAY, Action.DELETE_INTERNET_GATEWAY,
                Action.DELETE_VPC);
        assertThat(steps.get(0).ids()).containsExactly("i-1", "i-2");
        // The controllers group references the nodes group, so it goes first.
        assertThat(steps.get(2).ids()).containsExactly("sg-c");
        assertThat(steps.get(3).ids()).containsExactly("sg-n");
        assertThat(steps.get(9).vpcId()).isEqualTo("vpc-1");
    }

    @Test
    void theLedgerKnowsEveryIdAndWhetherAnythingIsLeft() {
        ResourceLedger ledger = ResourceLedger.from(PUBLIC_CLUSTER);
        assertThat(ledger.allIds()).containsExactlyInAnyOrder("i-1", "i-2", "i-3", "sg-n", "sg-c", "rtb-1",
                "subnet-1", "subnet-2", "igw-1", "vpc-1");
        assertThat(ledger.allIds().get(0)).isEqualTo("i-1");
        assertThat(ledger.allIds().get(9)).isEqualTo("vpc-1");
        assertThat(ledger.isEmpty()).isFalse();
        ClusterInventory gone = new ClusterInventory("c", null, List.of(), null, List.of(), Map.of(),
                List.of(instance("i-3", "terminated")));
        assertThat(ResourceLedger.from(gone).isEmpty()).isTrue();
        assertThat(DeletionOrder.steps(ResourceLedger.from(gone))).isEmpty();
    }

    @Test
    void natGatewaysGoAfterTheInstancesAndAreWaitedForBeforeTheirAddressesAndSubnets() {
        ClusterInventory privateCluster = new ClusterInventory("c", resource("vpc-1", List.of()),
                List.of(resource("subnet-1", List.of())), resource("igw-1", List.of("vpc-1")), List.of(), Map.of(),
                List.of(instance("i-1", "running")), Map.of(),
                List.of(new ClusterInventory.NatGatewayResource("nat-1", "subnet-1", "available", "eipalloc-1", null,
                                Map.of()),
                        new ClusterInventory.NatGatewayResource("nat-0", "subnet-1", "deleted", "eipalloc-0", null,
                                Map.of())),
                List.of(resource("eipalloc-1", List.of("eipassoc-1"))));

        List<DeletionStep> steps = DeletionOrder.steps(ResourceLedger.from(privateCluster));

        assertThat(steps).extracting(DeletionStep::action).containsExactly(
                Action.TERMINATE_INSTANCES, Action.WAIT_TERMINATED,
                Action.DELETE_NAT_GATEWAY, Action.WAIT_NAT_GATEWAYS_DELETED, Action.RELEASE_ADDRESS,
                Action.DELETE_SUBNET, Action.DETACH_INTERNET_GATEWAY, Action.DELETE_INTERNET_GATEWAY,
                Action.DELETE_VPC);
        // A deleted gateway is history, not a resource: nothing to delete or wait for.
        assertThat(steps.get(2).ids()).containsExactly("nat-1");
        assertThat(steps.get(4).ids()).containsExactly("eipalloc-1");
        assertThat(ResourceLedger.from(new ClusterInventory("c", null, List.of(), null, List.of(), Map.of(),
                List.of(), Map.of(), List.of(), List.of(resource("eipalloc-1", List.of())))).isEmpty())
                .as("an Elastic IP left behind is still billed").isFalse();
    }
}
