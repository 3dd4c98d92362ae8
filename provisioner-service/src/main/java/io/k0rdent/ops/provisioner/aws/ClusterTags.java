package io.k0rdent.ops.provisioner.aws;

/**
 * The tags every resource the provisioner creates carries. They are the provisioner's only memory: a restarted
 * provisioner finds its resources, the applied generation and pending retirements from them.
 */
public final class ClusterTags {

    /** The cluster name. */
    public static final String CLUSTER = "k0rdent.io/cluster";
    /** {@code controller}, {@code worker}, or {@code network} for shared resources. */
    public static final String ROLE = "k0rdent.io/role";
    /** The generation that created the resource. */
    public static final String GENERATION = "k0rdent.io/generation";
    /** On the VPC: the last generation fully applied; older events are skipped. */
    public static final String APPLIED_GENERATION = "k0rdent.io/applied-generation";
    /** On instances: the node slot within its role. */
    public static final String SLOT = "k0rdent.io/slot";
    /** On instances waiting for {@code NodesDrained}: the retirement reason. */
    public static final String RETIRING = "k0rdent.io/retiring";
    /** On instances waiting for {@code NodesDrained}: when they were marked (ISO-8601), so a drain is asked again only
     *  after it had its time. */
    public static final String RETIRING_SINCE = "k0rdent.io/retiring-since";
    /** On the VPC: the cluster is being deleted (survives a restart in the middle of a deletion). */
    public static final String DELETING = "k0rdent.io/deleting";
    /** On the VPC: the applied node pools, {@code count:type} (desired state for the drift check). */
    public static final String CONTROLLERS = "k0rdent.io/controllers";
    public static final String WORKERS = "k0rdent.io/workers";
    /**
     * On the VPC, set by {@code CreateVpc} itself: the cluster's zones, comma-separated, so a pass that stopped after
     * the first subnet still knows the others.
     */
    public static final String ZONES = "k0rdent.io/zones";
    /** Standard EC2 console name. */
    public static final String NAME = "Name";
    /**
     * The {@code SHA256:} fingerprint of the host key the instance got through its user-data (S1 in {@code DESIGN.md}),
     * set by {@code RunInstances} itself, so no instance exists without it.
     */
    public static final String SSH_HOST_KEY = "k0rdent.io/ssh-host-key";

    public static final String ROLE_NETWORK = "network";

    private ClusterTags() {
    }
}
