package io.k0rdent.ops.provisioner.reconcile;

import io.k0rdent.ops.provisioner.aws.ClusterInventory;
import io.k0rdent.ops.provisioner.aws.Ec2Failure;
import io.k0rdent.ops.provisioner.aws.Ec2Gateway;
import io.k0rdent.ops.provisioner.ledger.DeletionOrder;
import io.k0rdent.ops.provisioner.ledger.DeletionStep;
import io.k0rdent.ops.provisioner.ledger.ResourceLedger;
import java.util.List;

/**
 * Deletes everything in a cluster's {@link ResourceLedger} in {@link DeletionOrder}. A resource that is already gone
 * ({@code *.NotFound}, e.g. after a crash in the middle of a deletion) counts as deleted; any other failure stops
 * the deletion with an {@link Ec2Failure} naming the resource, and the next run resumes where this one stopped.
 */
public class ClusterDestroyer {

    private final ApiEndpointReconciler endpoint;

    public ClusterDestroyer(ApiEndpointReconciler endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * Deletes the API load balancer first (nothing depends on it, and its interfaces hold the subnets), then the
     * ledger's resources; answers the ids the ledger held.
     */
    public List<String> destroy(Ec2Gateway ec2, ClusterInventory inventory) {
        endpoint.delete(ec2, inventory.cluster());
        ResourceLedger ledger = ResourceLedger.from(inventory);
        for (DeletionStep step : DeletionOrder.steps(ledger)) {
            try {
                execute(ec2, step);
            } catch (Ec2Failure e) {
                if ("DependencyViolation".equals(e.errorCode())) {
                    throw namingTheBlocker(ec2, step, e);
                }
                if (!isGone(e.errorCode())) {
                    throw e;
                }
            }
        }
        return ledger.allIds();
    }

    /** EC2's codes for "no such resource": {@code Invalid*.NotFound}, and {@code NatGatewayNotFound}. */
    private static boolean isGone(String code) {
        return code != null && (code.endsWith(".NotFound") || code.equals("NatGatewayNotFound"));
    }

    /**
     * "DependencyViolation" alone does not say what to remove. The interfaces still using the resource do: an
     * instance launched into the cluster's subnet by someone else, a load balancer, a NAT gateway.
     */
    private static Ec2Failure namingTheBlocker(Ec2Gateway ec2, DeletionStep step, Ec2Failure violation) {
        String filter = switch (step.action()) {
            case DELETE_SUBNET -> "subnet-id";
            case DELETE_SECURITY_GROUP -> "group-id";
            case DELETE_VPC -> "vpc-id";
            default -> null;
        };
        if (filter == null) {
            return violation;
        }
        List<String> blockers;
        try {
            blockers = ec2.networkInterfacesUsing(filter, step.ids().get(0));
        } catch (Ec2Failure lookupFailed) {
            return violation; // the violation is the news; a failed lookup must not hide it
        }
        if (blockers.isEmpty()) {
            return violation;
        }
        return new Ec2Failure(violation.reason(), violation.errorCode(), violation.resource(),
                violation.getMessage() + "; still in use by " + String.join(", ", blockers), violation.retryable(),
                violation);
    }

    private static void execute(Ec2Gateway ec2, DeletionStep step) {
        String id = step.ids().get(0);
        switch (step.action()) {
            case TERMINATE_INSTANCES -> ec2.terminate(step.ids());
            case WAIT_TERMINATED -> ec2.waitUntilTerminated(step.ids());
            case DELETE_NAT_GATEWAY -> ec2.egress().deleteNatGateway(id);
            case WAIT_NAT_GATEWAYS_DELETED -> ec2.egress().waitUntilDeleted(step.ids());
            case RELEASE_ADDRESS -> ec2.egress().releaseAddress(id);
            case DELETE_SECURITY_GROUP -> ec2.deleteSecurityGroup(id);
            case DISASSOCIATE_ROUTE_TABLE -> ec2.disassociateRouteTable(id);
            case DELETE_ROUTE_TABLE -> ec2.deleteRouteTable(id);
            case DELETE_SUBNET -> ec2.deleteSubnet(id);
            case DETACH_INTERNET_GATEWAY -> ec2.detachInternetGateway(id, step.vpcId());
            case DELETE_INTERNET_GATEWAY -> ec2.deleteInternetGateway(id);
            case DELETE_VPC -> ec2.deleteVpc(id);
        }
    }
}
