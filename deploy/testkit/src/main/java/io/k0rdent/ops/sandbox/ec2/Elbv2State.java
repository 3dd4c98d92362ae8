package io.k0rdent.ops.sandbox.ec2;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ELBv2 resources of the emulator, kept inside {@link Ec2State} because they occupy EC2's subnets: a network load
 * balancer's interfaces keep {@code DeleteSubnet} and {@code DeleteVpc} from succeeding. Like {@link Ec2State}, plain
 * holders guarded by {@link Ec2Actions}' lock.
 */
final class Elbv2State {

    /** By ARN; a deleted load balancer stays here (with {@code deletedAt}) until its interfaces are released. */
    final Map<String, LoadBalancer> loadBalancers = new LinkedHashMap<>();
    final Map<String, TargetGroup> targetGroups = new LinkedHashMap<>();
    final Map<String, Listener> listeners = new LinkedHashMap<>();

    /** The tag map of a load balancer, target group or listener that exists, or {@code null}. */
    Map<String, String> tagsOf(String arn) {
        LoadBalancer loadBalancer = loadBalancers.get(arn);
        if (loadBalancer != null) {
            return loadBalancer.deletedAt == null ? loadBalancer.tags : null;
        }
        TargetGroup group = targetGroups.get(arn);
        if (group != null) {
            return group.tags;
        }
        Listener listener = listeners.get(arn);
        return listener == null ? null : listener.tags();
    }

    /** The listeners that forward to {@code targetGroupArn}. */
    List<Listener> listenersForwardingTo(String targetGroupArn) {
        return listeners.values().stream().filter(l -> l.targetGroupArn().equals(targetGroupArn)).toList();
    }

    /**
     * What a load balancer was created with; a second CreateLoadBalancer with the same name is answered with the
     * existing one only when these are equal (AWS: "If you attempt to create multiple load balancers with the same
     * settings, each call succeeds").
     */
    record LoadBalancerSettings(String type, String scheme, String ipAddressType, List<String> subnetIds) {
        LoadBalancerSettings {
            subnetIds = List.copyOf(subnetIds);
        }
    }

    /**
     * One load balancer node: the network interface ELB places in one subnet (one per Availability Zone).
     *
     * @param publicIp the node's public address, for an internet-facing load balancer; {@code null} when internal
     */
    record Placement(String subnetId, String zone, String interfaceId, String privateIp, String publicIp) {
    }

    static final class LoadBalancer {
        final String arn;
        final String name;
        final String id;
        final String vpcId;
        final String dnsName;
        final LoadBalancerSettings settings;
        final List<Placement> placements;
        final Instant createdAt;
        final Map<String, String> tags = new LinkedHashMap<>();
        Instant deletedAt;

        LoadBalancer(String arn, String name, String id, String vpcId, String dnsName, LoadBalancerSettings settings,
                     List<Placement> placements, Instant createdAt) {
            this.arn = arn;
            this.name = name;
            this.id = id;
            this.vpcId = vpcId;
            this.dnsName = dnsName;
            this.settings = settings;
            this.placements = List.copyOf(placements);
            this.createdAt = createdAt;
        }

        boolean live() {
            return deletedAt == null;
        }

        List<String> zones() {
            return placements.stream().map(Placement::zone).toList();
        }
    }

    /** A target group's settings with AWS's defaults filled in, so an omitted default equals an explicit one. */
    record TargetGroupSettings(String protocol, int port, String vpcId, String targetType, String healthCheckProtocol,
                               String healthCheckPort, boolean healthCheckEnabled, int healthCheckIntervalSeconds,
                               int healthCheckTimeoutSeconds, int healthyThresholdCount,
                               int unhealthyThresholdCount, String ipAddressType) {
    }

    /**
     * One registration of a target with a target group.
     *
     * @param deregisteredAt when DeregisterTargets was called; the target is draining from then on
     */
    record Registration(String targetId, int port, Instant registeredAt, Instant deregisteredAt) {
        boolean sameTarget(String otherId, int otherPort) {
            return targetId.equals(otherId) && port == otherPort;
        }
    }

    static final class TargetGroup {
        final String arn;
        final String name;
        final TargetGroupSettings settings;
        final Map<String, String> tags = new LinkedHashMap<>();
        final List<Registration> registrations = new ArrayList<>();

        TargetGroup(String arn, String name, TargetGroupSettings settings) {
            this.arn = arn;
            this.name = name;
            this.settings = settings;
        }
    }

    /** A TCP listener whose one default action forwards to one target group. */
    record Listener(String arn, String loadBalancerArn, String protocol, int port, String targetGroupArn,
                    Instant createdAt, Map<String, String> tags) {
    }
}
