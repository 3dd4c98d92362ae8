package io.k0rdent.ops.sandbox.ec2;

import io.k0rdent.ops.sandbox.ec2.Ec2State.Instance;
import io.k0rdent.ops.sandbox.ec2.Ec2State.InstanceState;
import io.k0rdent.ops.sandbox.ec2.Ec2State.NatGateway;
import io.k0rdent.ops.sandbox.ec2.Ec2State.NatState;
import io.k0rdent.ops.sandbox.ec2.Ec2State.Permission;
import io.k0rdent.ops.sandbox.ec2.Ec2State.Route;
import io.k0rdent.ops.sandbox.ec2.Ec2State.RouteTable;
import io.k0rdent.ops.sandbox.ec2.Ec2State.SecurityGroup;
import io.k0rdent.ops.sandbox.ec2.Ec2State.Subnet;
import io.k0rdent.ops.sandbox.ec2.Elbv2State.Listener;
import io.k0rdent.ops.sandbox.ec2.Elbv2State.LoadBalancer;
import io.k0rdent.ops.sandbox.ec2.Elbv2State.Placement;
import io.k0rdent.ops.sandbox.ec2.Elbv2State.Registration;
import io.k0rdent.ops.sandbox.ec2.Elbv2State.TargetGroup;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether AWS would deliver a {@link Flow}, decided from the emulator's own resources: the source subnet's route
 * table (local, an attached internet gateway for instances with a public address, an available NAT gateway whose
 * subnet routes to one), the destination's public path, every security group of the receiver (a CIDR rule matches the
 * address the packet carries; a group reference matches only traffic between private addresses of the same VPC), and
 * for a load balancer its listener, scheme and healthy targets (instance targets see the client's own address: client
 * IP preservation). Sources: AWS VPC User Guide ("Route tables", "Security group rules": "When you specify a security
 * group as the source ... [it] allows traffic from the private IP addresses"), ELB User Guide for Network Load
 * Balancers ("Client IP preservation", "Target security groups"). Before all that, some egress rule of some group of
 * the sender must let the flow out (VPC User Guide, "Security group rules": outbound rules name destinations the way
 * inbound rules name sources). Network ACLs are not modelled.
 */
final class Reachability {

    private static final String ANYWHERE = "0.0.0.0/0";

    private final Ec2State state;
    private final TargetGroupActions targets;

    Reachability(Ec2State state, TargetGroupActions targets) {
        this.state = state;
        this.targets = targets;
    }

    /** Where a packet leaves from: its address as the receiver sees it and the groups a reference may match. */
    private record Origin(String address, List<String> groupIds, String vpcId) {
    }

    NetworkVerdict reach(Flow flow, Instant now) {
        Instance named = flow.destination() == null ? null : state.instances.get(flow.destination());
        if (named != null) {
            // An instance named by id is dialled where the product's SshEndpoint points: its public address when it
            // has one, else its private address.
            String address = named.publicIpAddress != null ? named.publicIpAddress : named.privateIpAddress;
            return reach(new Flow(flow.sourceInstanceId(), flow.sourceAddress(), flow.privatePath(), address,
                    flow.protocol(), flow.port()), now);
        }
        Instance source = null;
        if (flow.sourceInstanceId() != null) {
            source = state.instances.get(flow.sourceInstanceId());
            if (source == null || source.state != InstanceState.RUNNING) {
                return NetworkVerdict.dropped(flow.sourceInstanceId() + " is not running");
            }
        }
        if (flow.destination() == null) {
            Optional<String> refused = egressRefused(source, flow, null, null);
            if (refused.isPresent()) {
                return NetworkVerdict.dropped(refused.get());
            }
            Optional<String> out = egressAddress(source);
            return out.isPresent() ? NetworkVerdict.delivered(null, "leaves as " + out.get())
                    : NetworkVerdict.dropped(noEgress(source));
        }
        Optional<Instance> instance = state.instances.values().stream().filter(Instance::isAlive)
                .filter(i -> flow.destination().equals(i.privateIpAddress)
                        || flow.destination().equals(i.publicIpAddress)).findFirst();
        if (instance.isPresent()) {
            return toInstance(flow, source, instance.get(), flow.port());
        }
        Optional<LoadBalancer> balancer = state.loadBalancing.loadBalancers.values().stream()
                .filter(LoadBalancer::live).filter(lb -> flow.destination().equals(lb.dnsName)
                        || lb.placements.stream().anyMatch(p -> flow.destination().equals(p.privateIp())
                        || flow.destination().equals(p.publicIp()))).findFirst();
        if (balancer.isPresent()) {
            return toLoadBalancer(flow, source, balancer.get(), now);
        }
        return NetworkVerdict.dropped("no host answers at " + flow.destination());
    }

    private NetworkVerdict toInstance(Flow flow, Instance source, Instance target, int port) {
        if (target.state != InstanceState.RUNNING) {
            return NetworkVerdict.dropped(target.id + " is " + target.state.apiName);
        }
        Optional<String> refused = egressRefused(source, flow, flow.destination(), target);
        if (refused.isPresent()) {
            return NetworkVerdict.dropped(refused.get());
        }
        boolean privateAddress = flow.destination().equals(target.privateIpAddress);
        Optional<Origin> origin = privateAddress ? privateOrigin(flow, source, target.vpcId)
                : publicOrigin(flow, source, target);
        if (origin.isEmpty()) {
            return NetworkVerdict.dropped("no route from " + describe(flow, source) + " to "
                    + (privateAddress ? "the private address " : "the public address ") + flow.destination()
                    + " of " + target.id);
        }
        return admitted(target, flow.protocol(), port, origin.get())
                ? NetworkVerdict.delivered(target.id, "admitted by a security group of " + target.id)
                : NetworkVerdict.dropped("no security group of " + target.id + " admits " + flow.protocol()
                + (Flow.hasPorts(flow.protocol()) ? "/" + port : "") + " from " + origin.get().address()
                + (origin.get().groupIds().isEmpty() ? "" : " (groups " + origin.get().groupIds() + ")"));
    }

    private NetworkVerdict toLoadBalancer(Flow flow, Instance source, LoadBalancer balancer, Instant now) {
        Optional<Listener> listener = state.loadBalancing.listeners.values().stream()
                .filter(l -> l.loadBalancerArn().equals(balancer.arn) && l.port() == flow.port()).findFirst();
        if (listener.isEmpty()) {
            return NetworkVerdict.dropped(balancer.name + " has no listener on " + flow.port());
        }
        boolean internetFacing = "internet-facing".equals(balancer.settings.scheme());
        Optional<String> refused = egressRefused(source, flow, nodeAddress(flow, source, balancer), null);
        if (refused.isPresent()) {
            return NetworkVerdict.dropped(refused.get());
        }
        Optional<Origin> origin;
        if (source != null && source.vpcId.equals(balancer.vpcId)) {
            // Inside the VPC the name resolves to the nodes' private addresses: the local route. Past the load
            // balancer the client's group no longer counts: target rules must name its address (CIDR).
            origin = Optional.of(new Origin(source.privateIpAddress, List.of(), source.vpcId));
        } else if (internetFacing) {
            origin = source == null ? Optional.of(new Origin(flow.sourceAddress(), List.of(), null))
                    : egressAddress(source).map(a -> new Origin(a, List.of(), null));
        } else {
            origin = source == null && flow.privatePath()
                    ? Optional.of(new Origin(flow.sourceAddress(), List.of(), null)) : Optional.empty();
        }
        if (origin.isEmpty()) {
            return NetworkVerdict.dropped("no route from " + describe(flow, source) + " to the "
                    + balancer.settings.scheme() + " load balancer " + balancer.name);
        }
        TargetGroup group = state.loadBalancing.targetGroups.get(listener.get().targetGroupArn());
        List<Registration> healthy = group.registrations.stream()
                .filter(r -> targets.healthy(group, r, now)).toList();
        if (healthy.isEmpty()) {
            return NetworkVerdict.dropped(group.name + " has no healthy target");
        }
        for (Registration registration : healthy) {
            Instance target = state.instances.get(registration.targetId());
            if (admitted(target, "tcp", registration.port(), origin.get())) {
                return NetworkVerdict.delivered(target.id, "forwarded by " + balancer.name + " to " + target.id);
            }
        }
        return NetworkVerdict.dropped("no security group of the targets of " + group.name + " admits tcp/"
                + flow.port() + " from " + origin.get().address() + " (client IP preservation)");
    }

    /**
     * Why the source instance may not send the flow: none of its groups has an egress rule covering the protocol and
     * port and the destination (a CIDR containing the address dialled, a reference to a group of the target matching
     * its private address in the same VPC, and for the internet only a rule open to every address, as 0.0.0.0/0 is).
     * Flows from outside every VPC pass: their senders have no security groups.
     */
    private Optional<String> egressRefused(Instance source, Flow flow, String address, Instance target) {
        if (source == null) {
            return Optional.empty();
        }
        for (String groupId : source.securityGroupIds) {
            SecurityGroup group = state.securityGroups.get(groupId);
            if (group == null) {
                continue;
            }
            for (Permission permission : group.egress) {
                if (covers(permission, flow.protocol(), flow.port())
                        && matchesDestination(permission, address, target, source.vpcId)) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of("no security group of " + source.id + " lets " + flow.protocol()
                + (Flow.hasPorts(flow.protocol()) ? "/" + flow.port() : "") + " out to "
                + (address == null ? "the internet" : address) + " (egress rules of " + source.securityGroupIds + ")");
    }

    private static boolean matchesDestination(Permission permission, String address, Instance target,
                                              String sourceVpc) {
        if (address == null) {
            return permission.cidrs().stream().anyMatch(c -> Cidr.parse(c).prefix() == 0);
        }
        Cidr destination = Cidr.parse(address + "/32");
        if (permission.cidrs().stream().anyMatch(c -> Cidr.parse(c).contains(destination))) {
            return true;
        }
        return target != null && address.equals(target.privateIpAddress) && sourceVpc.equals(target.vpcId)
                && permission.groupIds().stream().anyMatch(target.securityGroupIds::contains);
    }

    /**
     * The node address a flow to a load balancer is sent to: the one dialled, or for its DNS name a node's private
     * address from inside its VPC and a public one from elsewhere.
     */
    private static String nodeAddress(Flow flow, Instance source, LoadBalancer balancer) {
        boolean inside = source != null && source.vpcId.equals(balancer.vpcId);
        return balancer.placements.stream()
                .filter(p -> flow.destination().equals(p.privateIp()) || flow.destination().equals(p.publicIp()))
                .map(p -> flow.destination()).findFirst()
                .orElseGet(() -> balancer.placements.stream().map(p -> inside ? p.privateIp() : p.publicIp())
                        .filter(Objects::nonNull).findFirst().orElse(null));
    }

    /** The origin of a flow to a private address: the same VPC (local route), or an operator's private path. */
    private Optional<Origin> privateOrigin(Flow flow, Instance source, String vpcId) {
        if (source == null) {
            return flow.privatePath() ? Optional.of(new Origin(flow.sourceAddress(), List.of(), null))
                    : Optional.empty();
        }
        return source.vpcId.equals(vpcId)
                ? Optional.of(new Origin(source.privateIpAddress, source.securityGroupIds, source.vpcId))
                : Optional.empty();
    }

    /** The origin of a flow to a public address: out of the source's network, in through the target's gateway. */
    private Optional<Origin> publicOrigin(Flow flow, Instance source, Instance target) {
        if (target.publicIpAddress == null || internetGatewayRoute(target.subnetId).isEmpty()) {
            return Optional.empty();
        }
        if (source == null) {
            return Optional.of(new Origin(flow.sourceAddress(), List.of(), null));
        }
        return egressAddress(source).map(address -> new Origin(address, List.of(), null));
    }

    /** The public address an instance's traffic to the internet leaves with, if it can leave at all. */
    private Optional<String> egressAddress(Instance source) {
        if (source == null) {
            return Optional.empty();
        }
        Optional<Route> route = defaultRoute(source.subnetId);
        if (route.isEmpty()) {
            return Optional.empty();
        }
        if (route.get().natGatewayId() != null) {
            NatGateway nat = state.natGateways.get(route.get().natGatewayId());
            if (nat == null || nat.state != NatState.AVAILABLE || internetGatewayRoute(nat.subnetId).isEmpty()) {
                return Optional.empty();
            }
            Ec2State.Address address = state.addresses.get(nat.allocationId);
            return Optional.ofNullable(address == null ? null : address.publicIp);
        }
        return attachedGateway(route.get(), source.vpcId) && source.publicIpAddress != null
                ? Optional.of(source.publicIpAddress) : Optional.empty();
    }

    private String noEgress(Instance source) {
        Optional<Route> route = defaultRoute(source.subnetId);
        if (route.isEmpty()) {
            return source.id + ": its subnet's route table has no route to " + ANYWHERE;
        }
        if (route.get().natGatewayId() != null) {
            return source.id + ": the NAT gateway " + route.get().natGatewayId() + " it routes to is not available "
                    + "or cannot reach an internet gateway";
        }
        return source.id + ": routes to an internet gateway but has no public address";
    }

    private Optional<Route> internetGatewayRoute(String subnetId) {
        Subnet subnet = state.subnets.get(subnetId);
        return defaultRoute(subnetId).filter(r -> subnet != null && attachedGateway(r, subnet.vpcId));
    }

    private boolean attachedGateway(Route route, String vpcId) {
        var gateway = route.gatewayId() == null ? null : state.internetGateways.get(route.gatewayId());
        return gateway != null && vpcId.equals(gateway.attachedVpcId);
    }

    /** The 0.0.0.0/0 route of the subnet's table: its explicit association, else the VPC's main table. */
    private Optional<Route> defaultRoute(String subnetId) {
        Subnet subnet = state.subnets.get(subnetId);
        if (subnet == null) {
            return Optional.empty();
        }
        RouteTable table = state.routeTables.values().stream()
                .filter(t -> t.associations.stream().anyMatch(a -> subnetId.equals(a.subnetId()))).findFirst()
                .orElseGet(() -> state.routeTables.values().stream()
                        .filter(t -> t.vpcId.equals(subnet.vpcId) && t.main).findFirst().orElse(null));
        if (table == null) {
            return Optional.empty();
        }
        return table.routes.stream().filter(r -> ANYWHERE.equals(r.destinationCidrBlock())).findFirst();
    }

    private boolean admitted(Instance target, String protocol, int port, Origin origin) {
        for (String groupId : target.securityGroupIds) {
            SecurityGroup group = state.securityGroups.get(groupId);
            if (group == null) {
                continue;
            }
            for (Permission permission : group.ingress) {
                if (covers(permission, protocol, port) && matchesSource(permission, origin, target.vpcId)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean covers(Permission permission, String protocol, int port) {
        String p = permission.protocol();
        if (p.equals("-1")) {
            return true;
        }
        if (!normalise(p).equals(normalise(protocol))) {
            return false;
        }
        if (!Flow.hasPorts(protocol) || permission.fromPort() == null) {
            return true;
        }
        return permission.fromPort() <= port && port <= permission.toPort();
    }

    private static String normalise(String protocol) {
        return switch (protocol.toLowerCase()) {
            case "6" -> "tcp";
            case "17" -> "udp";
            case "1" -> "icmp";
            default -> protocol.toLowerCase();
        };
    }

    private static boolean matchesSource(Permission permission, Origin origin, String targetVpc) {
        Cidr address = Cidr.parse(origin.address() + "/32");
        if (permission.cidrs().stream().anyMatch(c -> Cidr.parse(c).contains(address))) {
            return true;
        }
        // A group reference admits the private addresses of that group's members, in the same VPC only.
        return targetVpc.equals(origin.vpcId())
                && permission.groupIds().stream().anyMatch(origin.groupIds()::contains);
    }

    private static String describe(Flow flow, Instance source) {
        return source != null ? source.id : flow.sourceAddress();
    }
}
