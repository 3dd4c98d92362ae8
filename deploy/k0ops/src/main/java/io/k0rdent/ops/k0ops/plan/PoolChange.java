package io.k0rdent.ops.k0ops.plan;

import io.k0rdent.ops.contracts.definition.NodePool;

/**
 * What happens to one node pool's instances, following the provisioner's rules
 * ({@code InfrastructurePlanner}): a count change launches or terminates the difference; a new worker
 * instance type replaces every remaining worker (a new instance per slot, the old one retired once
 * drained, rolling); controllers keep their instance type, because changing it would need etcd
 * membership changes the bootstrap side does not do, so only controllers launched from now on get the
 * new type. Nothing else in a definition touches instances.
 *
 * @param pool      {@code controllers} or {@code workers}
 * @param before    the applied pool, {@code null} when the cluster is created
 * @param after     the desired pool, {@code null} when the cluster is deleted
 * @param launch    new instances for new slots (scale-out or create), not counting replacements
 * @param replace   existing instances replaced by a new one of the new type (one launch and one
 *                  termination each)
 * @param terminate instances retired without a replacement (scale-in or delete)
 */
public record PoolChange(String pool, NodePool before, NodePool after, int launch, int replace, int terminate) {

    public static final String CONTROLLERS = "controllers";
    public static final String WORKERS = "workers";

    /** The change of one pool; {@code before} or {@code after} is null for a created or deleted cluster. */
    public static PoolChange between(String pool, NodePool before, NodePool after) {
        if (before == null && after == null) {
            throw new IllegalArgumentException("a pool change needs a before or an after");
        }
        if (before == null) {
            return new PoolChange(pool, null, after, after.count(), 0, 0);
        }
        if (after == null) {
            return new PoolChange(pool, before, null, 0, 0, before.count());
        }
        int launch = Math.max(0, after.count() - before.count());
        int terminate = Math.max(0, before.count() - after.count());
        boolean newType = !before.instanceType().equals(after.instanceType());
        int replace = newType && WORKERS.equals(pool) ? Math.min(before.count(), after.count()) : 0;
        return new PoolChange(pool, before, after, launch, replace, terminate);
    }

    public boolean changesInstances() {
        return launch + replace + terminate > 0;
    }

    /**
     * Whether the instance type changed but existing instances keep the old one (controllers): the
     * cost and the output must then count them at the old type.
     */
    public boolean keepsOldType() {
        return before != null && after != null && CONTROLLERS.equals(pool)
                && !before.instanceType().equals(after.instanceType());
    }

    /** The cost of the instances running before the change. */
    public MonthlyCost currentCost(PriceTable prices, String region) {
        return before == null ? MonthlyCost.ZERO : MonthlyCost.of(prices, region, before.instanceType(), before.count());
    }

    /** The cost of the instances running once the change is applied. */
    public MonthlyCost plannedCost(PriceTable prices, String region) {
        if (after == null) {
            return MonthlyCost.ZERO;
        }
        if (keepsOldType()) {
            int kept = Math.min(before.count(), after.count());
            return MonthlyCost.of(prices, region, before.instanceType(), kept)
                    .plus(MonthlyCost.of(prices, region, after.instanceType(), after.count() - kept));
        }
        return MonthlyCost.of(prices, region, after.instanceType(), after.count());
    }
}
