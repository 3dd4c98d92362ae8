package io.k0rdent.ops.sandbox.ec2;

/**
 * Per-region limits of the emulated account, as AWS Service Quotas would report them. Defaults are AWS's defaults;
 * an account that asked for an increase gets {@link #raisedTo}.
 *
 * @param networkLoadBalancers network load balancers per region (AWS default 50, "Quotas for your Network Load
 *                             Balancers"); {@code CreateLoadBalancer} beyond it answers {@code TooManyLoadBalancers}
 */
public record ServiceQuotas(int networkLoadBalancers) {

    public ServiceQuotas {
        if (networkLoadBalancers < 1) {
            throw new IllegalArgumentException("quotas must be positive");
        }
    }

    public static ServiceQuotas awsDefaults() {
        return new ServiceQuotas(50);
    }

    /** An account whose quota increase was granted, e.g. for a benchmark of many clusters in one region. */
    public static ServiceQuotas raisedTo(int networkLoadBalancers) {
        return new ServiceQuotas(networkLoadBalancers);
    }
}
