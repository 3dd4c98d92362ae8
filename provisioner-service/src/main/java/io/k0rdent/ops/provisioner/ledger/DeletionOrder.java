package io.k0rdent.ops.provisioner.ledger;

import io.k0rdent.ops.provisioner.ledger.DeletionStep.Action;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The order EC2 requires to delete a cluster without {@code DependencyViolation}: instances first (and wait until
 * they are terminated, because a shutting-down instance still holds its subnet, groups and public address), NAT
 * gateways (and wait until they are deleted: until then they hold their subnet and their Elastic IP, which counts as
 * a mapped public address that keeps the internet gateway attached), their Elastic IPs, then security groups (groups that reference other groups first), route tables (after dropping their associations),
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
        ledger.natGateways().stream().sorted().forEach(nat -> steps.add(
                new DeletionStep(Action.DELETE_NAT_GATEWAY, List.of(nat), ledger.vpcId())));
        if (!ledger.natGateways().isEmpty()) {
            steps.add(new DeletionStep(Action.WAIT_NAT_GATEWAYS_DELETED, ledger.natGateways(), ledger.vpcId()));
        }
        ledger.addresses().stream().sorted().forEach(address -> steps.add(
                new DeletionStep(Action.RELEASE_ADDRESS, List.of(address), ledger.vpcId())));
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
