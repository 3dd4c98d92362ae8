package io.k0rdent.ops.sandbox.ec2;

/**
 * Names a new load balancer's DNS name. AWS's form is {@code <name>-<id>.elb.<region>.amazonaws.com}; the sandbox
 * gives each network load balancer a loopback address of its own instead, so that kubectl and the services on this
 * machine can dial the name the product hands out (the cluster's API address) and reach the twin's forwarder.
 */
@FunctionalInterface
public interface LoadBalancerDns {

    /** AWS's own form. */
    LoadBalancerDns AWS = (name, id, region) -> name + "-" + id + ".elb." + region + ".amazonaws.com";

    String dnsName(String name, String id, String region);
}
