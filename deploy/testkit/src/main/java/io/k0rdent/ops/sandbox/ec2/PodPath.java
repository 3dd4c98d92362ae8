package io.k0rdent.ops.sandbox.ec2;

import io.k0rdent.ops.sandbox.ec2.Ec2State.Instance;
import io.k0rdent.ops.sandbox.ec2.Ec2State.InstanceState;
import java.time.Instant;

/**
 * Whether pod traffic between two nodes would cross the VPC, as k0s's default network (kube-router) carries it:
 * kube-router peers the nodes over BGP (TCP 179, either node may open the session) and then sends pod packets either
 * encapsulated in IP-in-IP (IP protocol 4) between the nodes' private addresses, or, between nodes of one subnet in
 * its default {@code overlay-type=subnet}, unencapsulated with pod addresses as source and destination, which EC2's
 * source/destination check drops (it is on by default and the product never turns it off). Both directions must pass:
 * a request without its answer is no connection. Sources: k0s docs "Networking" (required ports: 179 worker↔worker,
 * kube-router overlay), kube-router user guide ({@code --overlay-type}: "subnet" encapsulates only across subnets,
 * "full" always), EC2 User Guide "Source/destination checking" (enabled by default; an instance must be the source or
 * destination of any traffic it sends or receives).
 */
final class PodPath {

    private final Reachability reachability;
    private final Ec2State state;

    PodPath(Ec2State state, Reachability reachability) {
        this.state = state;
        this.reachability = reachability;
    }

    NetworkVerdict between(String fromInstanceId, String toInstanceId, boolean encapsulateAll, Instant now) {
        Instance from = state.instances.get(fromInstanceId);
        Instance to = state.instances.get(toInstanceId);
        if (from == null || from.state != InstanceState.RUNNING) {
            return NetworkVerdict.dropped(fromInstanceId + " is not running");
        }
        if (to == null || to.state != InstanceState.RUNNING) {
            return NetworkVerdict.dropped(toInstanceId + " is not running");
        }
        if (from == to) {
            return NetworkVerdict.delivered(to.id, "on one node: the pod bridge");
        }
        NetworkVerdict bgp = reachability.reach(Flow.fromInstance(from.id, to.privateIpAddress, "tcp", 179), now);
        if (!bgp.delivered()) {
            NetworkVerdict back = reachability.reach(Flow.fromInstance(to.id, from.privateIpAddress, "tcp", 179), now);
            if (!back.delivered()) {
                return NetworkVerdict.dropped("kube-router on " + from.id + " and " + to.id
                        + " cannot peer (BGP, TCP 179): " + bgp.reason());
            }
        }
        if (!encapsulateAll && from.subnetId.equals(to.subnetId)) {
            return NetworkVerdict.dropped("pod packets between " + from.id + " and " + to.id + " (one subnet, "
                    + from.subnetId + ") are routed unencapsulated with pod addresses, which EC2's source/destination"
                    + " check drops");
        }
        NetworkVerdict there = reachability.reach(Flow.fromInstance(from.id, to.privateIpAddress, "4", 0), now);
        if (!there.delivered()) {
            return NetworkVerdict.dropped("kube-router's IP-in-IP from " + from.id + " to " + to.id + ": "
                    + there.reason());
        }
        NetworkVerdict back = reachability.reach(Flow.fromInstance(to.id, from.privateIpAddress, "4", 0), now);
        if (!back.delivered()) {
            return NetworkVerdict.dropped("kube-router's IP-in-IP from " + to.id + " back to " + from.id + ": "
                    + back.reason());
        }
        return NetworkVerdict.delivered(to.id, "IP-in-IP between " + from.privateIpAddress + " and "
                + to.privateIpAddress);
    }
}
