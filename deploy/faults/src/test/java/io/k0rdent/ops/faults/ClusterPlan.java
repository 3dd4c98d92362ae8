package io.k0rdent.ops.faults;

/**
 * What Git says about one cluster at the end of the workload.
 *
 * @param name    {@code metadata.name} and the file name
 * @param vpcCidr its own /16, so no two clusters overlap (the gitwatcher rejects overlaps in a region)
 * @param workers worker count at the end
 * @param version k0s version at the end
 * @param deleted whether its file was removed
 */
record ClusterPlan(String name, String vpcCidr, int workers, String version, boolean deleted) {

    static final int CONTROLLERS = 1;

    int nodes() {
        return CONTROLLERS + workers;
    }

    /**
     * One cluster in five is private (index ending in 3 or 8): nodes without public addresses behind a NAT gateway,
     * an internal API load balancer, SSH through the operator's private path.
     */
    boolean publicIp() {
        return !name.matches("flt-\\d*[38]");
    }
}
