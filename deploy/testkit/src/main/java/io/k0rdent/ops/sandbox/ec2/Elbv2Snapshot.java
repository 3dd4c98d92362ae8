package io.k0rdent.ops.sandbox.ec2;

import io.k0rdent.ops.sandbox.ec2.Elbv2State.Listener;
import io.k0rdent.ops.sandbox.ec2.Elbv2State.LoadBalancer;
import io.k0rdent.ops.sandbox.ec2.Elbv2State.LoadBalancerSettings;
import io.k0rdent.ops.sandbox.ec2.Elbv2State.Placement;
import io.k0rdent.ops.sandbox.ec2.Elbv2State.Registration;
import io.k0rdent.ops.sandbox.ec2.Elbv2State.TargetGroup;
import io.k0rdent.ops.sandbox.ec2.Elbv2State.TargetGroupSettings;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ELBv2 part of {@link Ec2Snapshot}: load balancers (deleted ones still releasing their interfaces included),
 * target groups with their registrations, and listeners. Times are ISO-8601 strings, so the state keeps moving on
 * the clock after a restart (a load balancer saved while provisioning is active once its delay has passed).
 */
record Elbv2Snapshot(List<LoadBalancerData> loadBalancers, List<TargetGroupData> targetGroups,
                     List<ListenerData> listeners) {

    Elbv2Snapshot {
        loadBalancers = List.copyOf(loadBalancers);
        targetGroups = List.copyOf(targetGroups);
        listeners = List.copyOf(listeners);
    }

    record LoadBalancerData(String arn, String name, String id, String vpcId, String dnsName,
                            LoadBalancerSettings settings, List<Placement> placements, String createdAt,
                            Map<String, String> tags, String deletedAt) {
    }

    record RegistrationData(String targetId, int port, String registeredAt, String deregisteredAt) {
    }

    record TargetGroupData(String arn, String name, TargetGroupSettings settings, Map<String, String> tags,
                           List<RegistrationData> registrations) {
    }

    record ListenerData(String arn, String loadBalancerArn, String protocol, int port, String targetGroupArn,
                        String createdAt, Map<String, String> tags) {
    }

    /** Copies {@code state}; the caller holds the lock that guards it. */
    static Elbv2Snapshot of(Elbv2State state) {
        return new Elbv2Snapshot(
                state.loadBalancers.values().stream().map(lb -> new LoadBalancerData(lb.arn, lb.name, lb.id,
                        lb.vpcId, lb.dnsName, lb.settings, lb.placements, lb.createdAt.toString(),
                        new LinkedHashMap<>(lb.tags), text(lb.deletedAt))).toList(),
                state.targetGroups.values().stream().map(g -> new TargetGroupData(g.arn, g.name, g.settings,
                        new LinkedHashMap<>(g.tags), g.registrations.stream().map(r -> new RegistrationData(
                                r.targetId(), r.port(), text(r.registeredAt()), text(r.deregisteredAt()))).toList()))
                        .toList(),
                state.listeners.values().stream().map(l -> new ListenerData(l.arn(), l.loadBalancerArn(),
                        l.protocol(), l.port(), l.targetGroupArn(), l.createdAt().toString(),
                        new LinkedHashMap<>(l.tags()))).toList());
    }

    /** Fills an empty {@code state}. */
    void restoreInto(Elbv2State state) {
        for (LoadBalancerData d : loadBalancers) {
            LoadBalancer lb = new LoadBalancer(d.arn(), d.name(), d.id(), d.vpcId(), d.dnsName(), d.settings(),
                    d.placements(), Instant.parse(d.createdAt()));
            lb.tags.putAll(d.tags());
            lb.deletedAt = instant(d.deletedAt());
            state.loadBalancers.put(lb.arn, lb);
        }
        for (TargetGroupData d : targetGroups) {
            TargetGroup group = new TargetGroup(d.arn(), d.name(), d.settings());
            group.tags.putAll(d.tags());
            d.registrations().forEach(r -> group.registrations.add(new Registration(r.targetId(), r.port(),
                    instant(r.registeredAt()), instant(r.deregisteredAt()))));
            state.targetGroups.put(group.arn, group);
        }
        for (ListenerData d : listeners) {
            state.listeners.put(d.arn(), new Listener(d.arn(), d.loadBalancerArn(), d.protocol(), d.port(),
                    d.targetGroupArn(), Instant.parse(d.createdAt()), new LinkedHashMap<>(d.tags())));
        }
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
