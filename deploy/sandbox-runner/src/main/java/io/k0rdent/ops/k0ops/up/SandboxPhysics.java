package io.k0rdent.ops.k0ops.up;

import io.k0rdent.ops.sandbox.ec2.ApiStrictness;
import io.k0rdent.ops.sandbox.ec2.LoadBalancerTiming;
import io.k0rdent.ops.sandbox.ec2.ServiceQuotas;

/**
 * How much of real AWS's timing the sandbox's twin imposes. {@code k0ops up} and the end-to-end tests run with small,
 * non-zero delays, so a product that does not wait or retry where AWS makes it fails here too; benchmarks set
 * {@code -Dk0ops.physics=zero} to measure the product rather than the simulated AWS (docs/benchmarks.md).
 */
public final class SandboxPhysics {

    public static final String PROPERTY = "k0ops.physics";
    /**
     * Network load balancers per region the sandbox's account may have: AWS's default quota (50) unless set, e.g. by
     * a benchmark of more clusters, as an account with a granted quota increase.
     */
    public static final String NLB_QUOTA = "k0ops.nlb-quota";

    private SandboxPhysics() {
    }

    static ApiStrictness ec2Strictness() {
        return "zero".equals(System.getProperty(PROPERTY)) ? ApiStrictness.modelOnly() : ApiStrictness.sandbox();
    }

    /** A new instance's sshd listens a moment after EC2 says {@code running}, as after a real boot. */
    static java.time.Duration sshdStartDelay() {
        return "zero".equals(System.getProperty(PROPERTY)) ? java.time.Duration.ZERO : java.time.Duration.ofSeconds(1);
    }

    static ServiceQuotas quotas() {
        // The sandbox's account has its quotas raised for 50 clusters (AWS's own defaults stop the 6th VPC); the
        // benchmarks raise them further.
        String raised = System.getProperty(NLB_QUOTA);
        return ServiceQuotas.forClusters(raised == null ? 50 : Integer.parseInt(raised));
    }

    /** Load balancers take a moment to become active, targets to become healthy, interfaces to be released. */
    static LoadBalancerTiming loadBalancerTiming() {
        return "zero".equals(System.getProperty(PROPERTY)) ? LoadBalancerTiming.immediate()
                : LoadBalancerTiming.sandbox();
    }
}
