package io.k0rdent.ops.contracts.event;

/**
 * One running EC2 instance of a cluster.
 *
 * @param slot           stable position within its role (controller 0, 1, 2; worker 0..n-1); with the
 *                       cluster and generation it makes the instance's idempotency token
 * @param publicAddress  {@code null} for private-only clusters
 */
public record ProvisionedNode(
        String instanceId,
        NodeRole role,
        int slot,
        String instanceType,
        String availabilityZone,
        String privateAddress,
        String publicAddress,
        SshEndpoint ssh) {
}
