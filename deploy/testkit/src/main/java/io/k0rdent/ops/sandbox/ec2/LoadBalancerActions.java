package io.k0rdent.ops.sandbox.ec2;

import static io.k0rdent.ops.sandbox.ec2.Elbv2Params.members;
import static io.k0rdent.ops.sandbox.ec2.Elbv2Params.required;

import io.k0rdent.ops.sandbox.ec2.Elbv2State.LoadBalancer;
import io.k0rdent.ops.sandbox.ec2.Elbv2State.LoadBalancerSettings;
import io.k0rdent.ops.sandbox.ec2.Elbv2State.Placement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The ELBv2 (Elastic Load Balancing v2) actions for network load balancers: load balancers here, listeners in
 * {@link ListenerActions}, target groups and targets in {@link TargetGroupActions}, tags in {@link Elbv2TagActions}. Called by {@link Ec2Actions} under its lock, on the same
 * {@link Ec2State}: a load balancer places one network interface (with an address) in each of its subnets, and those
 * interfaces keep {@code DeleteSubnet}/{@code DeleteVpc} answering {@code DependencyViolation} until they are
 * released, some time after {@code DeleteLoadBalancer}.
 */
final class LoadBalancerActions {

    /** An NLB quota (AWS, "Quotas for your Network Load Balancers"): network load balancers per region. */
    /** The Route 53 hosted zones of network load balancers, by region ({@code CanonicalHostedZoneId}). */
    private static final Map<String, String> NLB_HOSTED_ZONES = Map.of(
            "us-east-1", "Z26RNL4JYFTOTI", "us-east-2", "ZLMOA37VPKANP",
            "us-west-1", "Z24FKFUX50B4VW", "us-west-2", "Z18D5FSROUN65G");

    private final Ec2State ec2;
    private final Elbv2State state;
    private final Ec2EmulatorOptions options;
    private final Clock clock;
    private final Supplier<String> hex;
    private final Supplier<String> publicAddress;
    private final TargetGroupActions targetGroups;
    private final Elbv2TagActions tags;
    private final ListenerActions listeners;

    /**
     * @param hex           16 hex digits from the emulator's seeded id source (so ids survive a restore)
     * @param publicAddress the next public address, for an internet-facing load balancer's nodes
     */
    LoadBalancerActions(Ec2State ec2, Ec2EmulatorOptions options, Clock clock, Supplier<String> hex,
                        Supplier<String> publicAddress) {
        this.ec2 = ec2;
        this.state = ec2.loadBalancing;
        this.options = options;
        this.clock = clock;
        this.hex = hex;
        this.publicAddress = publicAddress;
        this.targetGroups = new TargetGroupActions(ec2, options, this::arnPrefix, hex);
        this.tags = new Elbv2TagActions(state, this::arnPrefix);
        this.listeners = new ListenerActions(state, this::liveLoadBalancer, targetGroups, this::arnPrefix, hex);
    }

    TargetGroupActions targetGroups() {
        return targetGroups;
    }

    byte[] handle(String action, QueryRequest request, String requestId, List<String> created) {
        Instant now = clock.instant();
        release(now);
        Elbv2Xml out = Elbv2Xml.response(action);
        switch (action) {
            case "CreateLoadBalancer" -> createLoadBalancer(request, out, created, now);
            case "DescribeLoadBalancers" -> describeLoadBalancers(request, out, now);
            case "DeleteLoadBalancer" -> deleteLoadBalancer(request, now);
            case "CreateListener" -> listeners.createListener(request, out, created, now);
            case "DescribeListeners" -> listeners.describeListeners(request, out);
            case "DeleteListener" -> listeners.deleteListener(request);
            case "AddTags" -> tags.addTags(request);
            case "RemoveTags" -> tags.removeTags(request);
            case "DescribeTags" -> tags.describeTags(request, out);
            case "CreateTargetGroup", "DescribeTargetGroups", "DeleteTargetGroup", "RegisterTargets",
                 "DeregisterTargets", "DescribeTargetHealth" -> targetGroups.handle(action, request, out, created, now);
            default -> throw Ec2Error.client("InvalidAction", "The action " + action
                    + " is not implemented by this emulator (it is in ELBv2's model)");
        }
        return out.finish(requestId);
    }

    /** Load balancers whose interfaces are in their subnets: the live ones and the deleted ones not yet released. */
    List<LoadBalancer> withInterfaces() {
        release(clock.instant());
        return List.copyOf(state.loadBalancers.values());
    }

    boolean hasInterfaceInSubnet(String subnetId) {
        return withInterfaces().stream().anyMatch(lb -> lb.placements.stream()
                .anyMatch(p -> p.subnetId().equals(subnetId)));
    }

    boolean hasInterfaceInVpc(String vpcId) {
        return withInterfaces().stream().anyMatch(lb -> lb.vpcId.equals(vpcId));
    }

    /** An internet-facing load balancer's nodes have public addresses mapped through the VPC's internet gateway. */
    boolean hasPublicAddressInVpc(String vpcId) {
        return withInterfaces().stream().anyMatch(lb -> lb.vpcId.equals(vpcId)
                && lb.placements.stream().anyMatch(p -> p.publicIp() != null));
    }

    /** Drops what AWS has finished with by {@code now}: released load balancers, drained targets. */
    private void release(Instant now) {
        state.loadBalancers.values().removeIf(lb -> lb.deletedAt != null
                && !now.isBefore(lb.deletedAt.plus(options.loadBalancerTiming().interfaceRelease())));
        targetGroups.releaseDrained(now);
    }

    private String arnPrefix() {
        return "arn:aws:elasticloadbalancing:" + options.region() + ":" + Ec2Actions.OWNER_ID + ":";
    }

    // ---- Load balancers ------------------------------------------------------------------------------------

    private void createLoadBalancer(QueryRequest request, Elbv2Xml out, List<String> created, Instant now) {
        String name = required(request, "Name", "A load balancer name");
        Elbv2Params.checkName(name, "load balancer");
        if (name.startsWith("internal-")) {
            throw Elbv2Xml.validation("The load balancer name '" + name + "' must not begin with 'internal-'");
        }
        String type = request.get("Type") == null ? "application" : request.get("Type");
        if (!type.equals("network")) {
            throw Elbv2Params.notModelled("Load balancer type '" + type + "' (the default is application)");
        }
        String scheme = request.get("Scheme") == null ? "internet-facing" : request.get("Scheme");
        String ipAddressType = request.get("IpAddressType") == null ? "ipv4" : request.get("IpAddressType");
        if (!ipAddressType.equals("ipv4")) {
            throw Elbv2Params.notModelled("IpAddressType '" + ipAddressType + "'");
        }
        if (!members(request, "SecurityGroups").isEmpty()) {
            throw Elbv2Params.notModelled("A network load balancer with security groups");
        }
        if (request.get("CustomerOwnedIpv4Pool") != null) {
            throw Elbv2Params.notModelled("CustomerOwnedIpv4Pool");
        }
        LoadBalancerSettings settings = new LoadBalancerSettings(type, scheme, ipAddressType, subnetIds(request));
        Map<String, String> tags = Elbv2Params.tags(request, "Tags");
        Ec2State.Subnet first = subnet(settings.subnetIds().get(0));
        Set<String> zones = new LinkedHashSet<>();
        for (String subnetId : settings.subnetIds()) {
            Ec2State.Subnet subnet = subnet(subnetId);
            if (!subnet.vpcId.equals(first.vpcId)) {
                throw Ec2Error.client("InvalidConfigurationRequest", "The subnets '" + first.id + "' and '"
                        + subnet.id + "' are in different VPCs");
            }
            if (!zones.add(subnet.availabilityZone)) {
                throw Ec2Error.client("InvalidConfigurationRequest",
                        "A load balancer cannot be attached to multiple subnets in the same Availability Zone");
            }
            if (subnet.nextHost >= subnet.cidr.size() - 1) {
                throw Ec2Error.client("InvalidSubnet", "Not enough IP space available in " + subnet.id
                        + ". ELB requires at least 8 free IP addresses in each subnet.");
            }
        }
        if (scheme.equals("internet-facing") && ec2.internetGateways.values().stream()
                .noneMatch(g -> first.vpcId.equals(g.attachedVpcId))) {
            throw Ec2Error.client("InvalidSubnet", "VPC " + first.vpcId + " has no internet gateway");
        }
        for (LoadBalancer existing : state.loadBalancers.values()) {
            if (existing.live() && existing.name.equals(name)) {
                if (!existing.settings.equals(settings)) {
                    throw Ec2Error.client("DuplicateLoadBalancerName", "A load balancer with the same name '" + name
                            + "' exists, but with different settings");
                }
                // Documented idempotency: the same settings again answer the existing load balancer.
                out.start("LoadBalancers");
                writeLoadBalancer(out, existing, stateOf(existing, now));
                out.end();
                return;
            }
        }
        long live = state.loadBalancers.values().stream().filter(LoadBalancer::live).count();
        if (live >= options.quotas().networkLoadBalancers()) {
            throw Ec2Error.client("TooManyLoadBalancers", "You've reached the limit on the number of load balancers "
                    + "for your account (" + options.quotas().networkLoadBalancers() + ")");
        }
        String id = hex.get();
        List<Placement> placements = new ArrayList<>();
        for (String subnetId : settings.subnetIds()) {
            Ec2State.Subnet subnet = subnet(subnetId);
            placements.add(new Placement(subnet.id, subnet.availabilityZone, "eni-0" + hex.get(),
                    subnet.cidr.address(subnet.nextHost++),
                    scheme.equals("internet-facing") ? publicAddress.get() : null));
        }
        LoadBalancer loadBalancer = new LoadBalancer(arnPrefix() + "loadbalancer/net/" + name + "/" + id, name, id,
                first.vpcId, options.loadBalancerDns().dnsName(name, id, options.region()), settings, placements,
                now);
        Elbv2Params.addTags(loadBalancer.tags, tags, loadBalancer.arn);
        state.loadBalancers.put(loadBalancer.arn, loadBalancer);
        created.add(loadBalancer.arn);
        out.start("LoadBalancers");
        writeLoadBalancer(out, loadBalancer, "provisioning"); // a new load balancer always starts there
        out.end();
    }

    /** {@code Subnets} or {@code SubnetMappings}, exactly one of them, each subnet once. */
    private static List<String> subnetIds(QueryRequest request) {
        List<String> subnets = members(request, "Subnets");
        int mappings = request.structCount("SubnetMappings.member");
        if (!subnets.isEmpty() && mappings > 0) {
            throw Elbv2Xml.validation("You must specify either subnets or subnet mappings, not both");
        }
        List<String> ids = new ArrayList<>(subnets);
        for (int i = 1; i <= mappings; i++) {
            String prefix = "SubnetMappings.member." + i + ".";
            for (String member : List.of("AllocationId", "PrivateIPv4Address", "IPv6Address")) {
                if (request.get(prefix + member) != null) {
                    throw Elbv2Params.notModelled("SubnetMappings with " + member);
                }
            }
            ids.add(required(request, prefix + "SubnetId", "A subnet ID of each subnet mapping"));
        }
        if (ids.isEmpty()) {
            throw Elbv2Xml.validation("At least one subnet must be specified");
        }
        if (new LinkedHashSet<>(ids).size() != ids.size()) {
            throw Elbv2Xml.validation("A subnet can be specified only once");
        }
        return ids;
    }

    private Ec2State.Subnet subnet(String subnetId) {
        Ec2State.Subnet subnet = ec2.subnets.get(subnetId);
        if (subnet == null) {
            throw Ec2Error.client("SubnetNotFound", "The subnet ID '" + subnetId + "' is not valid");
        }
        return subnet;
    }

    private String stateOf(LoadBalancer loadBalancer, Instant now) {
        return now.isBefore(loadBalancer.createdAt.plus(options.loadBalancerTiming().provisioning()))
                ? "provisioning" : "active";
    }

    private void writeLoadBalancer(Elbv2Xml out, LoadBalancer lb, String stateCode) {
        out.start("member").text("LoadBalancerArn", lb.arn).text("DNSName", lb.dnsName)
                .text("CanonicalHostedZoneId", NLB_HOSTED_ZONES.get(options.region()))
                .text("CreatedTime", lb.createdAt.toString()).text("LoadBalancerName", lb.name)
                .text("Scheme", lb.settings.scheme()).text("VpcId", lb.vpcId)
                .start("State").text("Code", stateCode).end()
                .text("Type", lb.settings.type()).start("AvailabilityZones");
        for (Placement placement : lb.placements) {
            out.start("member").text("ZoneName", placement.zone()).text("SubnetId", placement.subnetId())
                    .start("LoadBalancerAddresses").end().end();
        }
        out.end().text("IpAddressType", lb.settings.ipAddressType()).end();
    }

    private void describeLoadBalancers(QueryRequest request, Elbv2Xml out, Instant now) {
        List<String> arns = members(request, "LoadBalancerArns");
        List<String> names = members(request, "Names");
        if (!arns.isEmpty() && !names.isEmpty()) {
            throw Elbv2Xml.validation("Load balancer names and load balancer ARNs cannot be specified at the same time");
        }
        List<LoadBalancer> live = state.loadBalancers.values().stream().filter(LoadBalancer::live).toList();
        List<LoadBalancer> selected = new ArrayList<>();
        if (!arns.isEmpty() || !names.isEmpty()) {
            for (String wanted : arns.isEmpty() ? names : arns) {
                selected.add(live.stream().filter(lb -> wanted.equals(arns.isEmpty() ? lb.name : lb.arn)).findFirst()
                        .orElseThrow(() -> loadBalancerNotFound(wanted)));
            }
        } else {
            selected.addAll(live);
        }
        Elbv2Xml.Page<LoadBalancer> page = Elbv2Xml.page(selected, request);
        out.start("LoadBalancers");
        page.items().forEach(lb -> writeLoadBalancer(out, lb, stateOf(lb, now)));
        out.end().text("NextMarker", page.nextMarker());
    }

    static Ec2Error loadBalancerNotFound(String arnOrName) {
        return Ec2Error.client("LoadBalancerNotFound", "Load balancers '[" + arnOrName + "]' not found");
    }

    /** A live load balancer by ARN, or {@code LoadBalancerNotFound}. */
    LoadBalancer liveLoadBalancer(String arn) {
        LoadBalancer loadBalancer = state.loadBalancers.get(arn);
        if (loadBalancer == null || !loadBalancer.live()) {
            throw loadBalancerNotFound(arn);
        }
        return loadBalancer;
    }

    /**
     * "If the load balancer does not exist or has already been deleted, the call succeeds." Its listeners go with it
     * at once; its interfaces stay in their subnets until {@link LoadBalancerTiming#interfaceRelease()} has passed.
     */
    private void deleteLoadBalancer(QueryRequest request, Instant now) {
        LoadBalancer loadBalancer = state.loadBalancers.get(required(request, "LoadBalancerArn",
                "A load balancer ARN"));
        if (loadBalancer == null || !loadBalancer.live()) {
            return;
        }
        loadBalancer.deletedAt = now;
        state.listeners.values().removeIf(l -> l.loadBalancerArn().equals(loadBalancer.arn));
        release(now);
    }
}
