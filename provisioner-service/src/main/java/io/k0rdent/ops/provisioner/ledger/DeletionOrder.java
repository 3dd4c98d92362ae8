package io.k0rdent.ops.provisioner.ledger;

import io.k0rdent.ops.provisioner.ledger.DeletionStep.Action;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The order EC2 requires to delete a cluster without {@code DependencyViolation}: instances first (and wait until
 * they are terminated, because a shutting-down instance still holds its subnet, groups and public address), then
 * security groups (groups that reference other groups first), route tables (after dropping their associations),
 * subnets, the internet gateway (detach, then delete), and the VPC last.
 */
public final class DeletionOrder {

    private DeletionOrder() {
    }

    public static List<DeletionStep> steps(ResourceLedger ledger) {
        List<DeletionStep> steps = new ArrayList<>();
        if (!ledger.instances().isEmpty()) {
            steps.add(new DeletionStep(Action.TERMINATE_INSTANCES, ledger.instances(), ledger.vpcId()));
            steps.add(new DeletionStep(Action.WAIT_TERMINATED, ledger.instances(), ledger.vpcId()));
        }
        // "<cluster>-controllers" references "<cluster>-nodes" in its rules, so it has to go first.
        ledger.securityGroups().entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, String> e) -> e.getKey().endsWith("-nodes"))
                        .thenComparing(Map.Entry::getKey))
                .forEach(e -> steps.add(new DeletionStep(Action.DELETE_SECURITY_GROUP, List.of(e.getValue()),
                        ledger.vpcId())));
        ledger.routeTables().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            e.getValue().stream().sorted().forEach(association -> steps.add(
                    new DeletionStep(Action.DISASSOCIATE_ROUTE_TABLE, List.of(association), ledger.vpcId())));
            steps.add(new DeletionStep(Action.DELETE_ROUTE_TABLE, List.of(e.getKey()), ledger.vpcId()));
        });
        ledger.subnets().stream().sorted().forEach(subnet ->
                steps.add(new DeletionStep(Action.DELETE_SUBNET, List.of(subnet), ledger.vpcId())));
        if (ledger.internetGateway() != null) {
            ledger.gatewayVpcs().forEach(vpc -> steps.add(new DeletionStep(Action.DETACH_INTERNET_GATEWAY,
                    List.of(ledger.internetGateway()), vpc)));
            steps.add(new DeletionStep(Action.DELETE_INTERNET_GATEWAY, List.of(ledger.internetGateway()),
                    ledger.vpcId()));
        }
        if (ledger.vpcId() != null) {
            steps.add(new DeletionStep(Action.DELETE_VPC, List.of(ledger.vpcId()), ledger.vpcId()));
        }
        return steps;
    }
}
