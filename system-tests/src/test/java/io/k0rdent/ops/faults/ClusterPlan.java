package io.k0rdent.ops.faults;

/**
 * What Git says about one cluster at the end of the workload.
 *
 * @param name       {@code metadata.name} and the file name
 * @param vpcCidr    its own /16, so no two clusters overlap (the gitwatcher rejects overlaps in a region)
 * @param workers    worker count at the end
 * @param workerType the workers' EC2 instance type at the end
 * @param version    k0s version at the end
 * @param deleted    whether its file was removed (and is still gone at the end)
 * @param recreated  whether it was deleted and then brought back by the force-push rollback: a second life, with
 *                   its own definition, instances, readiness and messages
 */
record ClusterPlan(String name, String vpcCidr, int workers, String workerType, String version, boolean deleted,
                   boolean recreated) {

    static final int CONTROLLERS = 1;
    /** The template's workers, which every cluster is created with. */
    static final int INITIAL_WORKERS = 2;
    static final String INITIAL_WORKER_TYPE = "t3.large";

    static ClusterPlan initial(String name, String vpcCidr, String version) {
        return new ClusterPlan(name, vpcCidr, INITIAL_WORKERS, INITIAL_WORKER_TYPE, version, false, false);
    }

    ClusterPlan withWorkers(int count, String type) {
        return new ClusterPlan(name, vpcCidr, count, type, version, deleted, recreated);
    }

    ClusterPlan withVersion(String to) {
        return new ClusterPlan(name, vpcCidr, workers, workerType, to, deleted, recreated);
    }

    ClusterPlan asDeleted() {
        return new ClusterPlan(name, vpcCidr, workers, workerType, version, true, recreated);
    }

    ClusterPlan asRecreated() {
        return new ClusterPlan(name, vpcCidr, workers, workerType, version, false, true);
    }

    int nodes() {
        return CONTROLLERS + workers;
    }

    /** Whether the workload changed the workers' instance type (a rolling replacement in the scale phase). */
    boolean typeChanged() {
        return !workerType.equals(INITIAL_WORKER_TYPE);
    }

    /**
     * One cluster in five is private (index ending in 3 or 8): nodes without public addresses behind a NAT gateway,
     * an internal API load balancer, SSH through the operator's private path.
     */
    boolean publicIp() {
        return !name.matches("flt-\\d*[38]");
    }
}
