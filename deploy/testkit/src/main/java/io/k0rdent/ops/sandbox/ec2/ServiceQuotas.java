package io.k0rdent.ops.sandbox.ec2;

/**
 * Per-region limits of the emulated account, as AWS Service Quotas would report them. Defaults are AWS's defaults;
 * an account that asked for increases gets {@link #forClusters} (or {@link #raisedTo} for load balancers alone).
 *
 * @param networkLoadBalancers network load balancers per region (AWS default 50, "Quotas for your Network Load
 *                             Balancers"); {@code CreateLoadBalancer} beyond it answers {@code TooManyLoadBalancers}
 * @param vpcs                 VPCs per region (default 5, Amazon VPC quotas "VPCs per Region"); {@code CreateVpc}
 *                             beyond it answers {@code VpcLimitExceeded}
 * @param elasticIps           Elastic IP addresses per region (default 5, Amazon EC2 quotas "EC2-VPC Elastic IPs");
 *                             {@code AllocateAddress} beyond it answers {@code AddressLimitExceeded}
 * @param natGatewaysPerZone   NAT gateways per Availability Zone (default 5, Amazon VPC quotas "NAT gateways per
 *                             Availability Zone", counting pending, available and deleting ones);
 *                             {@code CreateNatGateway} beyond it answers {@code NatGatewayLimitExceeded}
 */
public record ServiceQuotas(int networkLoadBalancers, int vpcs, int elasticIps, int natGatewaysPerZone) {

    public ServiceQuotas {
        if (networkLoadBalancers < 1 || vpcs < 1 || elasticIps < 1 || natGatewaysPerZone < 1) {
            throw new IllegalArgumentException("quotas must be positive");
        }
    }

    public static ServiceQuotas awsDefaults() {
        return new ServiceQuotas(50, 5, 5, 5);
    }

    /** An account whose load-balancer quota was raised; the others stay at AWS's defaults. */
    public static ServiceQuotas raisedTo(int networkLoadBalancers) {
        return new ServiceQuotas(networkLoadBalancers, 5, 5, 5);
    }

    /**
     * An account raised for {@code clusters} clusters in one region: a VPC and a load balancer each, and for private
     * clusters with zone-redundant egress three NAT gateways and Elastic IPs each.
     */
    public static ServiceQuotas forClusters(int clusters) {
        int n = Math.max(clusters, 1);
        return new ServiceQuotas(Math.max(n, 50), Math.max(n, 5), Math.max(3 * n, 5), Math.max(n, 5));
    }
}
