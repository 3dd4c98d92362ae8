package io.k0rdent.ops.sandbox.ec2;

import static io.k0rdent.ops.sandbox.ec2.Describes.DEFAULT_PAGE;
import static io.k0rdent.ops.sandbox.ec2.Describes.byIds;
import static io.k0rdent.ops.sandbox.ec2.Describes.find;
import static io.k0rdent.ops.sandbox.ec2.Describes.page;
import static io.k0rdent.ops.sandbox.ec2.Describes.select;
import static io.k0rdent.ops.sandbox.ec2.Describes.tagValues;

import io.k0rdent.ops.sandbox.ec2.Ec2State.Association;
import io.k0rdent.ops.sandbox.ec2.Ec2State.Instance;
import io.k0rdent.ops.sandbox.ec2.Ec2State.InstanceState;
import io.k0rdent.ops.sandbox.ec2.Ec2State.InternetGateway;
import io.k0rdent.ops.sandbox.ec2.Ec2State.Permission;
import io.k0rdent.ops.sandbox.ec2.Ec2State.Reservation;
import io.k0rdent.ops.sandbox.ec2.Ec2State.Route;
import io.k0rdent.ops.sandbox.ec2.Ec2State.RouteTable;
import io.k0rdent.ops.sandbox.ec2.Ec2State.SecurityGroup;
import io.k0rdent.ops.sandbox.ec2.Ec2State.Subnet;
import io.k0rdent.ops.sandbox.ec2.Ec2State.Vpc;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The EC2 actions the emulator implements, on an {@link Ec2State}. Each action validates like EC2 does where
 * clients depend on it (not-found ids, {@code DependencyViolation}, duplicate rules, ClientToken idempotency) and
 * writes its response with {@link XmlOut}. All actions run under one lock: EC2's own consistency is stronger than
 * that of the real service, which only makes the emulator easier to reason about, never harder for a client.
 */
final class Ec2Actions {

    static final String OWNER_ID = "123456789012";

    private final Ec2EmulatorOptions options;
    private final Clock clock;
    private final Ec2State state = new Ec2State();
    private final ZoneActions zones;
    private final NetworkInterfaceActions interfaces;
    private final KeyPairActions keyPairs;
    private final NatGatewayActions natGateways;
    private final RouteTableActions routeTables;
    private final LoadBalancerActions loadBalancers;
    private long seed;
    private Random ids;
    /** How many ids {@link #ids} has handed out; a restored emulator replays as many draws (see {@link #restore}). */
    private long idsIssued;
    private long publicAddressCounter;

    Ec2Actions(Ec2EmulatorOptions options, Clock clock) {
        this.options = options;
        this.clock = clock;
        this.seed = options.seed();
        this.ids = new Random(seed);
        this.zones = new ZoneActions(options);
        this.loadBalancers = new LoadBalancerActions(state, options, clock, this::newHex, this::nextPublicAddress);
        this.interfaces = new NetworkInterfaceActions(state, loadBalancers::withInterfaces);
        this.keyPairs = new KeyPairActions(options);
        this.natGateways = new NatGatewayActions(state, options, clock, this::newId, this::nextPublicAddress);
        this.routeTables = new RouteTableActions(state, this::newId, natGateways);
    }

    /** A copy of every resource and counter, for {@link Ec2Snapshot}'s file. */
    synchronized Ec2Snapshot snapshot() {
        return Ec2Snapshot.of(state, seed, idsIssued, publicAddressCounter);
    }

    /**
     * Loads a snapshot into this (still empty) emulator. The id source is seeded as before (with the snapshot's seed,
     * whatever the options say now) and advanced past every id already issued, so new ids continue the old sequence
     * instead of repeating it.
     */
    synchronized void restore(Ec2Snapshot snapshot) {
        if (!state.vpcs.isEmpty() || !state.instances.isEmpty() || idsIssued != 0) {
            throw new IllegalStateException("restore needs a fresh emulator");
        }
        snapshot.restoreInto(state);
        seed = snapshot.seed();
        ids = new Random(seed);
        for (long i = 0; i < snapshot.idsIssued(); i++) {
            ids.nextBytes(new byte[9]);
        }
        idsIssued = snapshot.idsIssued();
        publicAddressCounter = snapshot.publicAddresses();
    }

    /** What the owner of the emulator (the sandbox) needs to know about its instances. */
    synchronized List<Ec2Emulator.InstanceSummary> instanceSummaries() {
        return state.instances.values().stream()
                .map(i -> new Ec2Emulator.InstanceSummary(i.id, i.state.apiName, i.isAlive(), Map.copyOf(i.tags),
                        i.launch == null ? null : i.launch.userData()))
                .toList();
    }

    /** Sets one tag of an instance, as CreateTags would, without a call through the API (and its audit entry). */
    synchronized void tagInstance(String instanceId, String key, String value) {
        find(state.instances, instanceId, "InvalidInstanceID.NotFound").tags.put(key, value);
    }

    /** Every listener of every live load balancer, with the load balancer's DNS name. */
    synchronized List<Ec2Emulator.ListenerSummary> listenerSummaries() {
        Elbv2State elb = state.loadBalancing;
        return elb.listeners.values().stream()
                .map(l -> elb.loadBalancers.get(l.loadBalancerArn()))
                .filter(lb -> lb != null && lb.live())
                .flatMap(lb -> elb.listeners.values().stream().filter(l -> l.loadBalancerArn().equals(lb.arn))
                        .map(l -> new Ec2Emulator.ListenerSummary(lb.name, lb.dnsName, l.port())))
                .distinct().toList();
    }

    /** Whether AWS would deliver the flow now; see {@link Reachability}. */
    synchronized NetworkVerdict reach(Flow flow) {
        refreshAll();
        natGateways.refreshAll();
        return new Reachability(state, loadBalancers.targetGroups()).reach(flow, clock.instant());
    }

    /** Whether pod traffic between two nodes would pass; see {@link PodPath}. */
    synchronized NetworkVerdict podTraffic(String fromInstanceId, String toInstanceId, boolean encapsulateAll) {
        refreshAll();
        natGateways.refreshAll();
        return new PodPath(state, new Reachability(state, loadBalancers.targetGroups()))
                .between(fromInstanceId, toInstanceId, encapsulateAll, clock.instant());
    }

    synchronized void failNextNatGateway(String code, String message) {
        natGateways.failNext(code, message);
    }

    /** How many VPCs and live instances there are, for the sandbox's progress line. */
    synchronized Ec2Emulator.StateSummary summary() {
        return new Ec2Emulator.StateSummary(state.vpcs.size(),
                (int) state.instances.values().stream().filter(Instance::isAlive).count());
    }

    /** Runs {@code action}; adds the ids of resources it created to {@code created}. */
    synchronized byte[] handle(String action, QueryRequest request, String requestId, List<String> created) {
        XmlOut out = XmlOut.response(action, requestId);
        switch (action) {
            case "CreateVpc" -> createVpc(request, out, created);
            case "DescribeVpcs" -> describeVpcs(request, out);
            case "DeleteVpc" -> deleteVpc(request, out);
            case "CreateSubnet" -> createSubnet(request, out, created);
            case "DescribeSubnets" -> describeSubnets(request, out);
            case "ModifySubnetAttribute" -> modifySubnetAttribute(request, out);
            case "DeleteSubnet" -> deleteSubnet(request, out);
            case "CreateInternetGateway" -> createInternetGateway(request, out, created);
            case "AttachInternetGateway" -> attachInternetGateway(request, out);
            case "DetachInternetGateway" -> detachInternetGateway(request, out);
            case "DeleteInternetGateway" -> deleteInternetGateway(request, out);
            case "DescribeInternetGateways" -> describeInternetGateways(request, out);
            case "CreateRouteTable" -> routeTables.createRouteTable(request, out, created);
            case "CreateRoute" -> routeTables.createRoute(request, out);
            case "DeleteRoute" -> routeTables.deleteRoute(request, out);
            case "AssociateRouteTable" -> routeTables.associateRouteTable(request, out);
            case "DisassociateRouteTable" -> routeTables.disassociateRouteTable(request, out);
            case "DeleteRouteTable" -> routeTables.deleteRouteTable(request, out);
            case "DescribeRouteTables" -> routeTables.describeRouteTables(request, out);
            case "CreateSecurityGroup" -> createSecurityGroup(request, out, created);
            case "AuthorizeSecurityGroupIngress" -> authorizeIngress(request, out);
            case "DeleteSecurityGroup" -> deleteSecurityGroup(request, out);
            case "DescribeSecurityGroups" -> describeSecurityGroups(request, out);
            case "CreateTags" -> createTags(request, out);
            case "DeleteTags" -> deleteTags(request, out);
            case "RunInstances" -> runInstances(request, out, created);
            case "DescribeInstances" -> describeInstances(request, out);
            case "TerminateInstances" -> terminateInstances(request, out);
            case "DescribeImages" -> describeImages(request, out);
            case "DescribeAvailabilityZones" -> zones.describeAvailabilityZones(request, out);
            case "DescribeNetworkInterfaces" -> interfaces.describeNetworkInterfaces(request, out);
            case "DescribeKeyPairs" -> keyPairs.describeKeyPairs(request, out);
            case "DescribeVolumes" -> describeVolumes(request, out);
            case "DescribeInstanceTypeOfferings" -> zones.describeInstanceTypeOfferings(request, out);
            case "AllocateAddress" -> natGateways.allocateAddress(request, out, created);
            case "DescribeAddresses" -> natGateways.describeAddresses(request, out);
            case "ReleaseAddress" -> natGateways.releaseAddress(request, out);
            case "CreateNatGateway" -> natGateways.createNatGateway(request, out, created);
            case "DescribeNatGateways" -> natGateways.describeNatGateways(request, out);
            case "DeleteNatGateway" -> natGateways.deleteNatGateway(request, out);
            case "ReplaceRoute" -> routeTables.replaceRoute(request, out);
            default -> throw Ec2Error.client("InvalidAction",
                    "The action " + action + " is not valid for this web service.");
        }
        return out.finish();
    }

    /**
     * Runs an ELBv2 action under this lock: load balancers place interfaces in EC2's subnets and check EC2's
     * instances, so both APIs must see one state.
     */
    synchronized byte[] handleElbv2(String action, QueryRequest request, String requestId, List<String> created) {
        refreshAll(); // RegisterTargets and DescribeTargetHealth read instance states
        return loadBalancers.handle(action, request, requestId, created);
    }

    // ---- VPC -------------------------------------------------------------------------------------------------

    private void createVpc(QueryRequest request, XmlOut out, List<String> created) {
        Cidr cidr = Cidr.parse(request.required("CidrBlock"));
        if (cidr.prefix() < 16 || cidr.prefix() > 28) {
            throw Ec2Error.client("InvalidVpc.Range", "The CIDR '" + cidr + "' is invalid.");
        }
        if (state.vpcs.size() >= options.quotas().vpcs()) {
            throw Ec2Error.client("VpcLimitExceeded", "The maximum number of VPCs has been reached.");
        }
        Vpc vpc = new Vpc(newId("vpc"), cidr);
        vpc.tags.putAll(request.tagSpecifications("vpc"));
        state.vpcs.put(vpc.id, vpc);
        // Like EC2: every VPC comes with a main route table (local route) and a default security group.
        RouteTable main = new RouteTable(newId("rtb"), vpc.id, true);
        main.routes.add(new Route(cidr.toString(), "local"));
        main.associations.add(new Association(newId("rtbassoc"), null, true));
        state.routeTables.put(main.id, main);
        vpc.mainRouteTableId = main.id;
        SecurityGroup defaultGroup = new SecurityGroup(newId("sg"), vpc.id, "default", "default VPC security group",
                true);
        state.securityGroups.put(defaultGroup.id, defaultGroup);
        vpc.defaultSecurityGroupId = defaultGroup.id;
        created.add(vpc.id);
        out.start("vpc");
        writeVpc(out, vpc);
        out.end();
    }

    private void describeVpcs(QueryRequest request, XmlOut out) {
        List<Vpc> selected = select(byIds(state.vpcs, request.list("VpcId"), "InvalidVpcID.NotFound"),
                request.filters(), (vpc, name) -> switch (name) {
                    case "vpc-id" -> List.of(vpc.id);
                    case "cidr", "cidr-block-association.cidr-block" -> List.of(vpc.cidr.toString());
                    case "state" -> List.of("available");
                    case "is-default" -> List.of("false");
                    case "owner-id" -> List.of(OWNER_ID);
                    default -> tagValues(vpc.tags, name);
                });
        Describes.Page<Vpc> page = page(selected, request);
        out.start("vpcSet");
        page.items().forEach(vpc -> {
            out.start("item");
            writeVpc(out, vpc);
            out.end();
        });
        out.end().text("nextToken", page.nextToken());
    }

    private void writeVpc(XmlOut out, Vpc vpc) {
        out.text("vpcId", vpc.id).text("ownerId", OWNER_ID).text("state", "available")
                .text("cidrBlock", vpc.cidr.toString()).text("dhcpOptionsId", "dopt-00000000")
                .text("instanceTenancy", "default").text("isDefault", false).tagSet(vpc.tags);
    }

    private void deleteVpc(QueryRequest request, XmlOut out) {
        Vpc vpc = find(state.vpcs, request.required("VpcId"), "InvalidVpcID.NotFound");
        boolean dependents = state.subnets.values().stream().anyMatch(s -> s.vpcId.equals(vpc.id))
                || state.internetGateways.values().stream().anyMatch(g -> vpc.id.equals(g.attachedVpcId))
                || state.securityGroups.values().stream().anyMatch(g -> g.vpcId.equals(vpc.id) && !g.isDefault)
                || state.routeTables.values().stream().anyMatch(t -> t.vpcId.equals(vpc.id) && !t.main)
                || state.instances.values().stream().anyMatch(i -> i.isAlive() && i.vpcId.equals(vpc.id))
                || state.subnets.values().stream().anyMatch(s -> s.vpcId.equals(vpc.id)
                        && !natGateways.inSubnet(s.id).isEmpty())
                || loadBalancers.hasInterfaceInVpc(vpc.id);
        if (dependents) {
            throw Ec2Error.dependencyViolation("The vpc '" + vpc.id + "' has dependencies and cannot be deleted.");
        }
        state.securityGroups.remove(vpc.defaultSecurityGroupId);
        state.routeTables.remove(vpc.mainRouteTableId);
        state.vpcs.remove(vpc.id);
        out.text("return", true);
    }

    // ---- Subnets -------------------------------------------------------------------------------------------

    private void createSubnet(QueryRequest request, XmlOut out, List<String> created) {
        Vpc vpc = find(state.vpcs, request.required("VpcId"), "InvalidVpcID.NotFound");
        Cidr cidr = Cidr.parse(request.required("CidrBlock"));
        if (!vpc.cidr.contains(cidr) || cidr.prefix() > 28) {
            throw Ec2Error.client("InvalidSubnet.Range", "The CIDR '" + cidr + "' is invalid.");
        }
        for (Subnet other : state.subnets.values()) {
            if (other.vpcId.equals(vpc.id) && other.cidr.overlaps(cidr)) {
                throw Ec2Error.client("InvalidSubnet.Conflict",
                        "The CIDR '" + cidr + "' conflicts with another subnet");
            }
        }
        String zone = request.get("AvailabilityZone");
        if (zone == null) {
            zone = options.zones().get(0);
        } else if (!options.zones().contains(zone)) {
            throw Ec2Error.client("InvalidParameterValue", "Value (" + zone
                    + ") for parameter availabilityZone is invalid. Subnets can currently only be created in the "
                    + "following availability zones: " + String.join(", ", options.zones()) + ".");
        }
        Subnet subnet = new Subnet(newId("subnet"), vpc.id, zone, cidr);
        subnet.tags.putAll(request.tagSpecifications("subnet"));
        state.subnets.put(subnet.id, subnet);
        created.add(subnet.id);
        out.start("subnet");
        writeSubnet(out, subnet);
        out.end();
    }

    private void describeSubnets(QueryRequest request, XmlOut out) {
        List<Subnet> selected = select(byIds(state.subnets, request.list("SubnetId"), "InvalidSubnetID.NotFound"),
                request.filters(), (subnet, name) -> switch (name) {
                    case "subnet-id" -> List.of(subnet.id);
                    case "vpc-id" -> List.of(subnet.vpcId);
                    case "availability-zone", "availabilityZone" -> List.of(subnet.availabilityZone);
                    case "cidr-block", "cidr", "cidrBlock" -> List.of(subnet.cidr.toString());
                    case "state" -> List.of("available");
                    case "map-public-ip-on-launch" -> List.of(String.valueOf(subnet.mapPublicIpOnLaunch));
                    default -> tagValues(subnet.tags, name);
                });
        Describes.Page<Subnet> page = page(selected, request);
        out.start("subnetSet");
        page.items().forEach(subnet -> {
            out.start("item");
            writeSubnet(out, subnet);
            out.end();
        });
        out.end().text("nextToken", page.nextToken());
    }

    private void writeSubnet(XmlOut out, Subnet subnet) {
        long used = state.instances.values().stream()
                .filter(i -> i.isAlive() && i.subnetId.equals(subnet.id)).count();
        out.text("subnetId", subnet.id).text("subnetArn", "arn:aws:ec2:" + options.region() + ":" + OWNER_ID
                        + ":subnet/" + subnet.id)
                .text("state", "available").text("ownerId", OWNER_ID).text("vpcId", subnet.vpcId)
                .text("cidrBlock", subnet.cidr.toString())
                .text("availableIpAddressCount", subnet.cidr.size() - 5 - used)
                .text("availabilityZone", subnet.availabilityZone)
                .text("availabilityZoneId", zones.zoneId(subnet.availabilityZone))
                .text("defaultForAz", false).text("mapPublicIpOnLaunch", subnet.mapPublicIpOnLaunch)
                .tagSet(subnet.tags);
    }

    private void modifySubnetAttribute(QueryRequest request, XmlOut out) {
        Subnet subnet = find(state.subnets, request.required("SubnetId"), "InvalidSubnetID.NotFound");
        if (request.get("MapPublicIpOnLaunch.Value") != null) {
            subnet.mapPublicIpOnLaunch = request.bool("MapPublicIpOnLaunch.Value");
        }
        out.text("return", true);
    }

    private void deleteSubnet(QueryRequest request, XmlOut out) {
        Subnet subnet = find(state.subnets, request.required("SubnetId"), "InvalidSubnetID.NotFound");
        refreshAll();
        if (state.instances.values().stream().anyMatch(i -> i.isAlive() && i.subnetId.equals(subnet.id))
                || !natGateways.inSubnet(subnet.id).isEmpty()
                || loadBalancers.hasInterfaceInSubnet(subnet.id)) {
            throw Ec2Error.dependencyViolation("The subnet '" + subnet.id
                    + "' has dependencies and cannot be deleted.");
        }
        // EC2 drops the subnet's route table associations with it.
        state.routeTables.values().forEach(t -> t.associations.removeIf(a -> subnet.id.equals(a.subnetId())));
        state.subnets.remove(subnet.id);
        out.text("return", true);
    }

    // ---- Internet gateways --------------------------------------------------------------------------------

    private void createInternetGateway(QueryRequest request, XmlOut out, List<String> created) {
        InternetGateway gateway = new InternetGateway(newId("igw"));
        gateway.tags.putAll(request.tagSpecifications("internet-gateway"));
        state.internetGateways.put(gateway.id, gateway);
        created.add(gateway.id);
        out.start("internetGateway");
        writeInternetGateway(out, gateway);
        out.end();
    }

    private void attachInternetGateway(QueryRequest request, XmlOut out) {
        InternetGateway gateway = find(state.internetGateways, request.required("InternetGatewayId"),
                "InvalidInternetGatewayID.NotFound");
        Vpc vpc = find(state.vpcs, request.required("VpcId"), "InvalidVpcID.NotFound");
        if (gateway.attachedVpcId != null) {
            throw Ec2Error.client("Resource.AlreadyAssociated", "resource " + gateway.id
                    + " is already attached to network " + gateway.attachedVpcId);
        }
        if (state.internetGateways.values().stream().anyMatch(g -> vpc.id.equals(g.attachedVpcId))) {
            throw Ec2Error.client("InvalidParameterValue", "Network " + vpc.id
                    + " already has an internet gateway attached");
        }
        gateway.attachedVpcId = vpc.id;
        out.text("return", true);
    }

    private void detachInternetGateway(QueryRequest request, XmlOut out) {
        InternetGateway gateway = find(state.internetGateways, request.required("InternetGatewayId"),
                "InvalidInternetGatewayID.NotFound");
        String vpcId = request.required("VpcId");
        if (!vpcId.equals(gateway.attachedVpcId)) {
            throw Ec2Error.client("Gateway.NotAttached", "resource " + gateway.id + " is not attached to network "
                    + vpcId);
        }
        refreshAll();
        if (state.instances.values().stream()
                .anyMatch(i -> i.isAlive() && i.vpcId.equals(vpcId) && i.publicIpAddress != null)
                || !natGateways.mappingPublicAddresses(vpcId).isEmpty()
                || loadBalancers.hasPublicAddressInVpc(vpcId)) {
            throw Ec2Error.dependencyViolation("Network " + vpcId + " has some mapped public address(es). "
                    + "Please unmap those public address(es) before detaching the gateway.");
        }
        gateway.attachedVpcId = null;
        out.text("return", true);
    }

    private void deleteInternetGateway(QueryRequest request, XmlOut out) {
        InternetGateway gateway = find(state.internetGateways, request.required("InternetGatewayId"),
                "InvalidInternetGatewayID.NotFound");
        if (gateway.attachedVpcId != null) {
            throw Ec2Error.dependencyViolation("The internetGateway '" + gateway.id
                    + "' has dependencies and cannot be deleted.");
        }
        state.internetGateways.remove(gateway.id);
        out.text("return", true);
    }

    private void describeInternetGateways(QueryRequest request, XmlOut out) {
        List<InternetGateway> selected = select(byIds(state.internetGateways, request.list("InternetGatewayId"),
                "InvalidInternetGatewayID.NotFound"), request.filters(), (gateway, name) -> switch (name) {
                    case "internet-gateway-id" -> List.of(gateway.id);
                    case "attachment.vpc-id" -> gateway.attachedVpcId == null ? List.of()
                            : List.of(gateway.attachedVpcId);
                    case "attachment.state" -> gateway.attachedVpcId == null ? List.of() : List.of("available");
                    case "owner-id" -> List.of(OWNER_ID);
                    default -> tagValues(gateway.tags, name);
                });
        Describes.Page<InternetGateway> page = page(selected, request);
        out.start("internetGatewaySet");
        page.items().forEach(gateway -> {
            out.start("item");
            writeInternetGateway(out, gateway);
            out.end();
        });
        out.end().text("nextToken", page.nextToken());
    }

    private void writeInternetGateway(XmlOut out, InternetGateway gateway) {
        out.text("internetGatewayId", gateway.id).text("ownerId", OWNER_ID).start("attachmentSet");
        if (gateway.attachedVpcId != null) {
            out.start("item").text("vpcId", gateway.attachedVpcId).text("state", "available").end();
        }
        out.end().tagSet(gateway.tags);
    }

    // ---- Security groups ----------------------------------------------------------------------------------

    private void createSecurityGroup(QueryRequest request, XmlOut out, List<String> created) {
        String name = request.required("GroupName");
        String description = request.required("GroupDescription");
        Vpc vpc = find(state.vpcs, request.required("VpcId"), "InvalidVpcID.NotFound");
        if (state.securityGroups.values().stream().anyMatch(g -> g.vpcId.equals(vpc.id) && g.name.equals(name))) {
            throw Ec2Error.client("InvalidGroup.Duplicate", "The security group '" + name
                    + "' already exists for VPC '" + vpc.id + "'");
        }
        SecurityGroup group = new SecurityGroup(newId("sg"), vpc.id, name, description, false);
        group.tags.putAll(request.tagSpecifications("security-group"));
        state.securityGroups.put(group.id, group);
        created.add(group.id);
        out.text("return", true).text("groupId", group.id).tagSet(group.tags);
    }

    private void authorizeIngress(QueryRequest request, XmlOut out) {
        SecurityGroup group = find(state.securityGroups, request.required("GroupId"), "InvalidGroup.NotFound");
        List<Permission> permissions = new ArrayList<>();
        int count = request.structCount("IpPermissions");
        for (int p = 1; p <= count; p++) {
            String prefix = "IpPermissions." + p + ".";
            String protocol = request.required(prefix + "IpProtocol");
            Integer from = request.get(prefix + "FromPort") == null ? null : request.intValue(prefix + "FromPort", 0);
            Integer to = request.get(prefix + "ToPort") == null ? null : request.intValue(prefix + "ToPort", 0);
            List<String> cidrs = new ArrayList<>();
            for (int r = 1; request.get(prefix + "IpRanges." + r + ".CidrIp") != null; r++) {
                cidrs.add(Cidr.parse(request.get(prefix + "IpRanges." + r + ".CidrIp")).toString());
            }
            List<String> groups = new ArrayList<>();
            for (int g = 1; request.get(prefix + "Groups." + g + ".GroupId") != null; g++) {
                String source = request.get(prefix + "Groups." + g + ".GroupId");
                find(state.securityGroups, source, "InvalidGroup.NotFound");
                groups.add(source);
            }
            Permission permission = new Permission(protocol, from, to, cidrs, groups);
            if (group.ingress.contains(permission) || permissions.contains(permission)) {
                throw Ec2Error.client("InvalidPermission.Duplicate", "the specified rule \"peer: "
                        + String.join(",", cidrs) + String.join(",", groups) + ", " + protocol.toUpperCase()
                        + ", from port: " + from + ", to port: " + to + ", ALLOW\" already exists");
            }
            permissions.add(permission);
        }
        if (permissions.isEmpty()) {
            throw Ec2Error.client("MissingParameter", "The request must contain the parameter ipPermissions");
        }
        group.ingress.addAll(permissions);
        out.text("return", true);
    }

    private void deleteSecurityGroup(QueryRequest request, XmlOut out) {
        SecurityGroup group = find(state.securityGroups, request.required("GroupId"), "InvalidGroup.NotFound");
        if (group.isDefault) {
            throw Ec2Error.client("CannotDelete", "the specified group: \"" + group.id
                    + "\" name: \"default\" cannot be deleted by a user");
        }
        refreshAll();
        boolean usedByInstance = state.instances.values().stream()
                .anyMatch(i -> i.isAlive() && i.securityGroupIds.contains(group.id));
        boolean referenced = state.securityGroups.values().stream()
                .filter(other -> other != group)
                .anyMatch(other -> other.ingress.stream().anyMatch(p -> p.groupIds().contains(group.id)));
        if (usedByInstance || referenced) {
            throw Ec2Error.dependencyViolation("resource " + group.id + " has a dependent object");
        }
        state.securityGroups.remove(group.id);
        out.text("return", true);
    }

    private void describeSecurityGroups(QueryRequest request, XmlOut out) {
        List<SecurityGroup> selected = select(byIds(state.securityGroups, request.list("GroupId"),
                "InvalidGroup.NotFound"), request.filters(), (group, name) -> switch (name) {
                    case "group-id" -> List.of(group.id);
                    case "group-name" -> List.of(group.name);
                    case "vpc-id" -> List.of(group.vpcId);
                    case "description" -> List.of(group.description);
                    case "owner-id" -> List.of(OWNER_ID);
                    default -> tagValues(group.tags, name);
                });
        Describes.Page<SecurityGroup> page = page(selected, request);
        out.start("securityGroupInfo");
        for (SecurityGroup group : page.items()) {
            out.start("item").text("ownerId", OWNER_ID).text("groupId", group.id).text("groupName", group.name)
                    .text("groupDescription", group.description).text("vpcId", group.vpcId).start("ipPermissions");
            for (Permission permission : group.ingress) {
                out.start("item").text("ipProtocol", permission.protocol()).text("fromPort", permission.fromPort())
                        .text("toPort", permission.toPort()).start("groups");
                permission.groupIds().forEach(id -> out.start("item").text("userId", OWNER_ID).text("groupId", id)
                        .end());
                out.end().start("ipRanges");
                permission.cidrs().forEach(cidr -> out.start("item").text("cidrIp", cidr).end());
                out.end().end();
            }
            out.end().start("ipPermissionsEgress").start("item").text("ipProtocol", "-1").start("groups").end()
                    .start("ipRanges").start("item").text("cidrIp", "0.0.0.0/0").end().end().end().end()
                    .tagSet(group.tags).end();
        }
        out.end().text("nextToken", page.nextToken());
    }

    // ---- Tags ----------------------------------------------------------------------------------------------

    private void createTags(QueryRequest request, XmlOut out) {
        List<String> resources = request.list("ResourceId");
        Map<String, String> tags = request.tags("Tag");
        if (resources.isEmpty()) {
            throw Ec2Error.client("MissingParameter", "The request must contain the parameter resourceIdSet");
        }
        List<Map<String, String>> targets = new ArrayList<>();
        for (String id : resources) {
            Map<String, String> existing = state.tagsOf(id);
            if (existing == null) {
                throw Ec2Error.notFound(notFoundCode(id), id);
            }
            targets.add(existing);
        }
        targets.forEach(target -> target.putAll(tags));
        out.text("return", true);
    }

    private void deleteTags(QueryRequest request, XmlOut out) {
        List<String> resources = request.list("ResourceId");
        int count = request.structCount("Tag");
        for (String id : resources) {
            Map<String, String> existing = state.tagsOf(id);
            if (existing == null) {
                throw Ec2Error.notFound(notFoundCode(id), id);
            }
            for (int t = 1; t <= count; t++) {
                existing.remove(request.get("Tag." + t + ".Key"));
            }
        }
        out.text("return", true);
    }

    // ---- Instances ----------------------------------------------------------------------------------------

    private void runInstances(QueryRequest request, XmlOut out, List<String> created) {
        String token = request.get("ClientToken");
        if (token != null && (token.length() > 64 || !token.chars().allMatch(c -> c >= 0x20 && c < 0x7f))) {
            throw Ec2Error.client("InvalidParameterValue", "Value (" + token
                    + ") for parameter clientToken is invalid. The client token must be at most 64 ASCII characters.");
        }
        String fingerprint = fingerprint(request);
        if (token != null && state.reservationsByToken.containsKey(token)) {
            Reservation previous = state.reservationsByToken.get(token);
            if (!previous.fingerprint().equals(fingerprint)) {
                throw Ec2Error.client("IdempotentParameterMismatch", "The client token you have provided is "
                        + "associated with a resource that is already deleted or has different parameters.");
            }
            // Same token, same parameters: the same instances again, in their current state; nothing is launched.
            writeReservation(out, previous, previous.instanceIds().stream().map(state.instances::get).toList());
            return;
        }
        String imageId = request.required("ImageId");
        if (options.images().stream().noneMatch(i -> i.imageId().equals(imageId))) {
            throw Ec2Error.client("InvalidAMIID.NotFound", "The image id '[" + imageId + "]' does not exist");
        }
        String keyName = request.get("KeyName");
        if (keyName != null && !options.keyPairs().contains(keyName)) {
            throw Ec2Error.client("InvalidKeyPair.NotFound", "The key pair '" + keyName + "' does not exist");
        }
        int minCount = request.intValue("MinCount", 0);
        int maxCount = request.intValue("MaxCount", 0);
        if (minCount < 1 || maxCount < minCount) {
            throw Ec2Error.client("InvalidParameterValue", "MinCount must be >= 1 and MaxCount >= MinCount");
        }
        String subnetId = request.get("SubnetId") != null ? request.get("SubnetId")
                : request.get("NetworkInterface.1.SubnetId");
        if (subnetId == null) {
            throw Ec2Error.client("MissingParameter", "No subnet given (this emulator has no default VPC)");
        }
        Subnet subnet = find(state.subnets, subnetId, "InvalidSubnetID.NotFound");
        zones.requireOffered(subnet.availabilityZone,
                request.get("InstanceType") == null ? "m1.small" : request.get("InstanceType"));
        List<String> groupIds = new ArrayList<>(request.list("SecurityGroupId"));
        groupIds.addAll(request.list("NetworkInterface.1.SecurityGroupId"));
        for (String groupId : groupIds) {
            SecurityGroup group = find(state.securityGroups, groupId, "InvalidGroup.NotFound");
            if (!group.vpcId.equals(subnet.vpcId)) {
                throw Ec2Error.client("InvalidParameter", "Security group " + groupId + " and subnet " + subnetId
                        + " belong to different networks.");
            }
        }
        if (groupIds.isEmpty()) {
            groupIds.add(state.vpcs.get(subnet.vpcId).defaultSecurityGroupId);
        }
        String zone = request.get("Placement.AvailabilityZone");
        if (zone != null && !zone.equals(subnet.availabilityZone)) {
            throw Ec2Error.client("InvalidParameterValue", "The subnet " + subnetId + " is in "
                    + subnet.availabilityZone + ", not in " + zone);
        }
        String associatePublic = request.get("NetworkInterface.1.AssociatePublicIpAddress");
        boolean publicIp = associatePublic != null ? Boolean.parseBoolean(associatePublic)
                : subnet.mapPublicIpOnLaunch;
        if (subnet.nextHost + maxCount > subnet.cidr.size() - 1) {
            throw Ec2Error.client("InsufficientFreeAddressesInSubnet", "There are not enough free addresses in "
                    + "subnet '" + subnetId + "' to satisfy the requested number of instances.");
        }
        Map<String, String> tags = request.tagSpecifications("instance");
        List<LaunchSettings> launch = new ArrayList<>();
        for (int index = 0; index < maxCount; index++) {
            launch.add(LaunchSettings.of(request, newId("vol")));
        }
        String reservationId = newId("r");
        Instant now = clock.instant();
        List<Instance> launched = new ArrayList<>();
        for (int index = 0; index < maxCount; index++) {
            Instance instance = new Instance(newId("i"), reservationId, imageId,
                    request.get("InstanceType") == null ? "m1.small" : request.get("InstanceType"),
                    request.get("KeyName"), subnet.id, subnet.vpcId, subnet.availabilityZone,
                    subnet.cidr.address(subnet.nextHost++), publicIp ? nextPublicAddress() : null, groupIds, token,
                    index, now);
            instance.tags.putAll(tags);
            instance.launch = launch.get(index);
            String endpoint = options.sshEndpointHook().endpointFor(new SshEndpointHook.LaunchedInstance(
                    instance.id, instance.availabilityZone, instance.privateIpAddress, instance.publicIpAddress,
                    Map.copyOf(instance.tags), instance.launch.userData()));
            if (endpoint != null) {
                instance.tags.put(options.sshEndpointTag(), endpoint);
            }
            state.instances.put(instance.id, instance);
            launched.add(instance);
            created.add(instance.id);
        }
        Reservation reservation = new Reservation(reservationId, token, fingerprint,
                launched.stream().map(i -> i.id).toList(), groupIds);
        state.reservations.put(reservationId, reservation);
        if (token != null) {
            state.reservationsByToken.put(token, reservation);
        }
        writeReservation(out, reservation, launched);
    }

    private static String fingerprint(QueryRequest request) {
        return new TreeMap<>(request.all()).entrySet().stream()
                .filter(e -> !e.getKey().equals("ClientToken"))
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
    }

    private void writeReservation(XmlOut out, Reservation reservation, List<Instance> instances) {
        out.text("reservationId", reservation.id()).text("ownerId", OWNER_ID).start("groupSet").end()
                .start("instancesSet");
        instances.forEach(instance -> writeInstance(out, instance));
        out.end();
    }

    private void describeInstances(QueryRequest request, XmlOut out) {
        List<Ec2Filter> filters = request.filters();
        List<String> requestedIds = request.list("InstanceId");
        int maxResults = request.intValue("MaxResults", DEFAULT_PAGE);
        if (request.get("MaxResults") != null && (maxResults < 5 || maxResults > 1000)) {
            throw Ec2Error.client("InvalidParameterValue", "Value ( " + maxResults
                    + " ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.");
        }
        List<Instance> candidates = byIds(state.instances, requestedIds, "InvalidInstanceID.NotFound");
        // The waiters poll DescribeInstances, so this is where call-count-based transitions advance.
        Instant now = clock.instant();
        for (Instance instance : candidates) {
            advance(instance, now);
        }
        List<Instance> selected = select(candidates, filters, (instance, name) -> switch (name) {
            case "instance-id" -> List.of(instance.id);
            case "instance-state-name" -> List.of(instance.state.apiName);
            case "instance-state-code" -> List.of(String.valueOf(instance.state.code));
            case "instance-type" -> List.of(instance.instanceType);
            case "vpc-id" -> List.of(instance.vpcId);
            case "subnet-id" -> List.of(instance.subnetId);
            case "availability-zone" -> List.of(instance.availabilityZone);
            case "image-id" -> List.of(instance.imageId);
            case "key-name" -> instance.keyName == null ? List.of() : List.of(instance.keyName);
            case "client-token" -> instance.clientToken == null ? List.of() : List.of(instance.clientToken);
            case "reservation-id" -> List.of(instance.reservationId);
            case "private-ip-address" -> List.of(instance.privateIpAddress);
            case "ip-address" -> instance.publicIpAddress == null ? List.of() : List.of(instance.publicIpAddress);
            case "instance.group-id", "group-id" -> instance.securityGroupIds;
            default -> tagValues(instance.tags, name);
        });
        for (Instance instance : selected) {
            instance.observationsInState++;
        }
        Describes.Page<Instance> page = page(selected, request.get("NextToken"), maxResults);
        Map<String, List<Instance>> byReservation = new LinkedHashMap<>();
        page.items().forEach(i -> byReservation.computeIfAbsent(i.reservationId, r -> new ArrayList<>()).add(i));
        out.start("reservationSet");
        byReservation.forEach((reservationId, instances) -> {
            out.start("item");
            writeReservation(out, state.reservations.get(reservationId), instances);
            out.end();
        });
        out.end().text("nextToken", page.nextToken());
    }

    private void writeInstance(XmlOut out, Instance instance) {
        out.start("item").text("instanceId", instance.id).text("imageId", instance.imageId)
                .start("instanceState").text("code", instance.state.code).text("name", instance.state.apiName).end()
                .text("privateDnsName", "ip-" + instance.privateIpAddress.replace('.', '-') + ".ec2.internal")
                .text("dnsName", instance.publicIpAddress == null ? null
                        : "ec2-" + instance.publicIpAddress.replace('.', '-') + ".compute-1.amazonaws.com")
                .text("keyName", instance.keyName).text("amiLaunchIndex", instance.launchIndex)
                .text("instanceType", instance.instanceType).text("launchTime", instance.launchTime.toString())
                .start("placement").text("availabilityZone", instance.availabilityZone).text("tenancy", "default")
                .end()
                .start("monitoring").text("state", "disabled").end()
                .text("subnetId", instance.subnetId).text("vpcId", instance.vpcId)
                .text("privateIpAddress", instance.privateIpAddress).text("ipAddress", instance.publicIpAddress)
                .start("groupSet");
        for (String groupId : instance.securityGroupIds) {
            SecurityGroup group = state.securityGroups.get(groupId);
            out.start("item").text("groupId", groupId).text("groupName", group == null ? null : group.name).end();
        }
        out.end().text("architecture", "x86_64").text("rootDeviceType", "ebs").text("rootDeviceName", "/dev/sda1")
                .text("virtualizationType", "hvm").text("clientToken", instance.clientToken);
        if (instance.launch != null) {
            LaunchSettings.Volume root = instance.launch.rootVolume();
            out.start("blockDeviceMapping").start("item").text("deviceName", root.device()).start("ebs")
                    .text("volumeId", root.id()).text("status", "attached")
                    .text("deleteOnTermination", root.deleteOnTermination()).end().end().end()
                    .start("metadataOptions").text("state", "applied")
                    .text("httpTokens", instance.launch.httpTokens()).text("httpPutResponseHopLimit",
                            instance.launch.hopLimit() == null ? 1 : instance.launch.hopLimit())
                    .text("httpEndpoint", "enabled").end();
            if (instance.launch.instanceProfile() != null) {
                String profile = instance.launch.instanceProfile();
                out.start("iamInstanceProfile").text("arn", profile.startsWith("arn:") ? profile
                        : "arn:aws:iam::" + OWNER_ID + ":instance-profile/" + profile).end();
            }
        }
        out.tagSet(instance.tags).text("hypervisor", "xen").end();
    }

    private void terminateInstances(QueryRequest request, XmlOut out) {
        List<String> requested = request.list("InstanceId");
        if (requested.isEmpty()) {
            throw Ec2Error.client("MissingParameter", "The request must contain the parameter InstanceId");
        }
        List<Instance> instances = byIds(state.instances, requested, "InvalidInstanceID.NotFound");
        Instant now = clock.instant();
        out.start("instancesSet");
        for (Instance instance : instances) {
            advance(instance, now);
            InstanceState previous = instance.state;
            if (instance.state != InstanceState.TERMINATED && instance.state != InstanceState.SHUTTING_DOWN) {
                instance.enter(InstanceState.SHUTTING_DOWN, now);
            }
            out.start("item").text("instanceId", instance.id)
                    .start("currentState").text("code", instance.state.code).text("name", instance.state.apiName)
                    .end()
                    .start("previousState").text("code", previous.code).text("name", previous.apiName).end()
                    .end();
        }
        out.end();
    }

    /** Moves a transient state on when its call count or time is reached. */
    private void advance(Instance instance, Instant now) {
        Transitions rule = switch (instance.state) {
            case PENDING -> options.pending();
            case SHUTTING_DOWN -> options.shuttingDown();
            default -> null;
        };
        if (rule == null) {
            return;
        }
        if (rule.due(instance.observationsInState, instance.stateSince, now)) {
            instance.enter(instance.state == InstanceState.PENDING ? InstanceState.RUNNING
                    : InstanceState.TERMINATED, now);
        }
    }

    /** Dependency checks see time-based transitions that happened since the last call. */
    private void refreshAll() {
        Instant now = clock.instant();
        state.instances.values().forEach(instance -> {
            Transitions rule = instance.state == InstanceState.PENDING ? options.pending()
                    : instance.state == InstanceState.SHUTTING_DOWN ? options.shuttingDown() : null;
            if (rule != null && rule.elapsed(instance.stateSince, now)) {
                advance(instance, now);
            }
        });
    }

    /**
     * The root volumes of live instances (and of terminated ones whose volume was kept), with size, type, encryption
     * and the tags given at launch; filters {@code attachment.instance-id}, {@code volume-id} and tags.
     */
    private void describeVolumes(QueryRequest request, XmlOut out) {
        record Attached(Instance instance, LaunchSettings.Volume volume) {
        }
        List<Attached> all = state.instances.values().stream().filter(i -> i.launch != null)
                .filter(i -> i.isAlive() || !i.launch.rootVolume().deleteOnTermination())
                .map(i -> new Attached(i, i.launch.rootVolume())).toList();
        List<Attached> selected = select(all, request.filters(), (a, name) -> switch (name) {
            case "attachment.instance-id" -> List.of(a.instance().id);
            case "volume-id" -> List.of(a.volume().id());
            case "volume-type" -> List.of(a.volume().type());
            case "encrypted" -> List.of(String.valueOf(a.volume().encrypted()));
            default -> tagValues(a.instance().launch.volumeTags(), name);
        });
        Describes.Page<Attached> page = page(selected, request);
        out.start("volumeSet");
        page.items().forEach(a -> out.start("item").text("volumeId", a.volume().id())
                .text("size", a.volume().sizeGib()).text("availabilityZone", a.instance().availabilityZone)
                .text("status", a.instance().isAlive() ? "in-use" : "available")
                .text("volumeType", a.volume().type()).text("encrypted", a.volume().encrypted())
                .start("attachmentSet").start("item").text("volumeId", a.volume().id())
                .text("instanceId", a.instance().id).text("device", a.volume().device()).text("status", "attached")
                .text("deleteOnTermination", a.volume().deleteOnTermination()).end().end()
                .tagSet(a.instance().launch.volumeTags()).end());
        out.end().text("nextToken", page.nextToken());
    }

    // ---- Images and zones ---------------------------------------------------------------------------------

    private void describeImages(QueryRequest request, XmlOut out) {
        List<String> owners = request.list("Owner");
        List<String> imageIds = request.list("ImageId");
        List<ImageSpec> candidates = options.images().stream()
                .filter(i -> imageIds.isEmpty() || imageIds.contains(i.imageId()))
                .filter(i -> owners.isEmpty() || owners.contains(i.ownerId())
                        || (owners.contains("self") && OWNER_ID.equals(i.ownerId())))
                .toList();
        List<ImageSpec> selected = select(candidates, request.filters(), (image, name) -> switch (name) {
            case "name" -> List.of(image.name());
            case "image-id" -> List.of(image.imageId());
            case "owner-id" -> List.of(image.ownerId());
            case "architecture" -> List.of(image.architecture());
            case "state" -> List.of("available");
            case "root-device-type" -> List.of("ebs");
            case "virtualization-type" -> List.of("hvm");
            default -> name.startsWith("tag") ? List.of() : null;
        });
        Describes.Page<ImageSpec> page = page(selected, request);
        out.start("imagesSet");
        for (ImageSpec image : page.items()) {
            out.start("item").text("imageId", image.imageId()).text("imageLocation", image.ownerId() + "/"
                            + image.name()).text("imageState", "available").text("imageOwnerId", image.ownerId())
                    .text("creationDate", image.creationDate()).text("isPublic", true)
                    .text("architecture", image.architecture()).text("imageType", "machine").text("name", image.name())
                    .text("rootDeviceType", "ebs").text("rootDeviceName", "/dev/sda1")
                    .text("virtualizationType", "hvm").text("hypervisor", "xen").end();
        }
        out.end().text("nextToken", page.nextToken());
    }

    // ---- Helpers -------------------------------------------------------------------------------------------

    private String nextPublicAddress() {
        // TEST-NET-3 (RFC 5737): documentation addresses, never routable, so nothing can be reached by mistake.
        publicAddressCounter++;
        return "203.0." + (113 + publicAddressCounter / 250) + "." + (publicAddressCounter % 250 + 1);
    }

    private String newId(String prefix) {
        String hex = newHex17();
        return prefix + "-" + (prefix.equals("r") ? hex : "0" + hex.substring(0, 16));
    }

    /** 16 hex digits (ELBv2's ids), one draw of the same seeded source as every EC2 id, so a restore replays it. */
    private String newHex() {
        return newHex17().substring(0, 16);
    }

    private String newHex17() {
        byte[] random = new byte[9];
        ids.nextBytes(random);
        idsIssued++;
        return HexFormat.of().formatHex(random).substring(0, 17);
    }

    private static String notFoundCode(String id) {
        String prefix = id.contains("-") ? id.substring(0, id.indexOf('-')) : id;
        return switch (prefix) {
            case "vpc" -> "InvalidVpcID.NotFound";
            case "subnet" -> "InvalidSubnetID.NotFound";
            case "igw" -> "InvalidInternetGatewayID.NotFound";
            case "rtb" -> "InvalidRouteTableID.NotFound";
            case "sg" -> "InvalidGroup.NotFound";
            case "i" -> "InvalidInstanceID.NotFound";
            case "nat" -> "NatGatewayNotFound";
            case "eipalloc" -> "InvalidAllocationID.NotFound";
            default -> "InvalidID";
        };
    }


}
