package io.k0rdent.ops.provisioner.ledger;

import java.util.List;

/**
 * One step of tearing a cluster down.
 *
 * @param action what to do
 * @param ids    the resources it acts on (several only for instance termination and waiting)
 * @param vpcId  the VPC, for detaching the internet gateway
 */
public record DeletionStep(Action action, List<String> ids, String vpcId) {

    public DeletionStep {
        ids = List.copyOf(ids);
    }

    /** The kinds of deletion steps, in the order {@link DeletionOrder} puts them. */
    public enum Action {
        TERMINATE_INSTANCES,
        WAIT_TERMINATED,
        DELETE_NAT_GATEWAY,
        WAIT_NAT_GATEWAYS_DELETED,
        RELEASE_ADDRESS,
        DELETE_SECURITY_GROUP,
        DISASSOCIATE_ROUTE_TABLE,
        DELETE_ROUTE_TABLE,
        DELETE_SUBNET,
        DETACH_INTERNET_GATEWAY,
        DELETE_INTERNET_GATEWAY,
        DELETE_VPC
    }
}
