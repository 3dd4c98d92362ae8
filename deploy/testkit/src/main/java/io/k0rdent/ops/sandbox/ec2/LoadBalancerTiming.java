package io.k0rdent.ops.sandbox.ec2;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the emulated Elastic Load Balancing takes for what AWS does in the background. Every delay is wall-clock
 * time on the emulator's clock; zero means the next call already sees the end state.
 *
 * @param provisioning       a new load balancer is {@code provisioning} this long, then {@code active}
 * @param initialHealth      a registered, running target is {@code initial} this long (counted from when it, its
 *                           listener and its active load balancer all exist), then {@code healthy}
 * @param deregistration     a deregistered target is {@code draining} this long, then gone (the target group's
 *                           {@code deregistration_delay.timeout_seconds})
 * @param interfaceRelease   a deleted load balancer's network interfaces stay in their subnets this long, so
 *                           {@code DeleteSubnet} and {@code DeleteVpc} still answer {@code DependencyViolation}
 */
public record LoadBalancerTiming(Duration provisioning, Duration initialHealth, Duration deregistration,
                                 Duration interfaceRelease) {

    public LoadBalancerTiming {
        for (Duration delay : new Duration[] {provisioning, initialHealth, deregistration, interfaceRelease}) {
            if (Objects.requireNonNull(delay, "delay").isNegative()) {
                throw new IllegalArgumentException("load balancer delays must not be negative");
            }
        }
    }

    /** Tests: every background step is already done at the next call. */
    public static LoadBalancerTiming immediate() {
        return new LoadBalancerTiming(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    /**
     * {@code k0ops up} and the end-to-end tests: short but non-zero, so a caller that neither waits for
     * {@code active} and {@code healthy} nor retries {@code DependencyViolation} after deleting a load balancer fails.
     */
    public static LoadBalancerTiming sandbox() {
        return new LoadBalancerTiming(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(2));
    }

    /**
     * Roughly AWS's: minutes to provision, five passed TCP checks 30 s apart before {@code healthy} (the NLB defaults
     * of {@code HealthyThresholdCount} and {@code HealthCheckIntervalSeconds}), the default 300 s deregistration delay,
     * and interfaces released a couple of minutes after a deletion.
     */
    public static LoadBalancerTiming realistic() {
        return new LoadBalancerTiming(Duration.ofMinutes(3), Duration.ofSeconds(150), Duration.ofSeconds(300),
                Duration.ofMinutes(2));
    }
}
