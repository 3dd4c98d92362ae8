package io.k0rdent.ops.contracts.definition;

/**
 * {@code spec}: where the cluster runs, its network, its node pools, the k0s version and add-ons.
 *
 * @param deletionProtection when {@code true}, removing the definition from Git is rejected instead of
 *                           destroying the cluster
 */
public record ClusterSpec(
        String region,
        Networking networking,
        Nodes nodes,
        K0sSpec k0s,
        SshSpec ssh,
        Addons addons,
        boolean deletionProtection) {

    public ClusterSpec {
        addons = addons == null ? Addons.NONE : addons;
    }
}
