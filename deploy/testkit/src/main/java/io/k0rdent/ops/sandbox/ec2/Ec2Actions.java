package io.k0rdent.ops.sandbox.ec2;

import static io.k0rdent.ops.sandbox.ec2.Describes.find;
import static io.k0rdent.ops.sandbox.ec2.Describes.page;
import static io.k0rdent.ops.sandbox.ec2.Describes.select;

import io.k0rdent.ops.sandbox.ec2.Ec2State.Instance;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The EC2 actions the emulator implements, on an {@link Ec2State}: dispatch, tags, images and ids here; VPCs,
 * security groups, instances, route tables, NAT gateways and load balancers in their own classes, all on the same
 * state. Each action validates like EC2 does where clients depend on it (not-found ids, {@code DependencyViolation},
 * duplicate rules, ClientToken idempotency) and writes its response with {@link XmlOut}. All actions run under one
 * lock: EC2's own consistency is stronger than that of the real service, which only makes the emulator easier to
 * reason about, never harder for a client.
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
    private final VpcActions vpcs;
    private final SecurityGroupActions securityGroups;
    private final InstanceActions instances;
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
        this.instances = new InstanceActions(state, options, clock, zones, this::newId, this::nextPublicAddress);
        this.vpcs = new VpcActions(state, options, this::newId, instances::refreshAll, zones, natGateways,
                loadBalancers);
        this.securityGroups = new SecurityGroupActions(state, this::newId, instances::refreshAll);
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
        instances.refreshAll();
        natGateways.refreshAll();
        return new Reachability(state, loadBalancers.targetGroups()).reach(flow, clock.instant());
    }

    /** Whether pod traffic between two nodes would pass; see {@link PodPath}. */
    synchronized NetworkVerdict podTraffic(String fromInstanceId, String toInstanceId, boolean encapsulateAll) {
        instances.refreshAll();
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
            case "CreateVpc" -> vpcs.createVpc(request, out, created);
            case "DescribeVpcs" -> vpcs.describeVpcs(request, out);
            case "DeleteVpc" -> vpcs.deleteVpc(request, out);
            case "CreateSubnet" -> vpcs.createSubnet(request, out, created);
            case "DescribeSubnets" -> vpcs.describeSubnets(request, out);
            case "ModifySubnetAttribute" -> vpcs.modifySubnetAttribute(request, out);
            case "DeleteSubnet" -> vpcs.deleteSubnet(request, out);
            case "CreateInternetGateway" -> vpcs.createInternetGateway(request, out, created);
            case "AttachInternetGateway" -> vpcs.attachInternetGateway(request, out);
            case "DetachInternetGateway" -> vpcs.detachInternetGateway(request, out);
            case "DeleteInternetGateway" -> vpcs.deleteInternetGateway(request, out);
            case "DescribeInternetGateways" -> vpcs.describeInternetGateways(request, out);
            case "CreateRouteTable" -> routeTables.createRouteTable(request, out, created);
            case "CreateRoute" -> routeTables.createRoute(request, out);
            case "DeleteRoute" -> routeTables.deleteRoute(request, out);
            case "AssociateRouteTable" -> routeTables.associateRouteTable(request, out);
            case "DisassociateRouteTable" -> routeTables.disassociateRouteTable(request, out);
            case "DeleteRouteTable" -> routeTables.deleteRouteTable(request, out);
            case "DescribeRouteTables" -> routeTables.describeRouteTables(request, out);
            case "CreateSecurityGroup" -> securityGroups.createSecurityGroup(request, out, created);
            case "AuthorizeSecurityGroupIngress" -> securityGroups.authorizeIngress(request, out);
            case "RevokeSecurityGroupIngress" -> securityGroups.revokeIngress(request, out);
            case "AuthorizeSecurityGroupEgress" -> securityGroups.authorizeEgress(request, out);
            case "RevokeSecurityGroupEgress" -> securityGroups.revokeEgress(request, out);
            case "DeleteSecurityGroup" -> securityGroups.deleteSecurityGroup(request, out);
            case "DescribeSecurityGroups" -> securityGroups.describeSecurityGroups(request, out);
            case "CreateTags" -> createTags(request, out);
            case "DeleteTags" -> deleteTags(request, out);
            case "RunInstances" -> instances.runInstances(request, out, created);
            case "DescribeInstances" -> instances.describeInstances(request, out);
            case "TerminateInstances" -> instances.terminateInstances(request, out);
            case "StopInstances" -> instances.stopInstances(request, out);
            case "DescribeImages" -> describeImages(request, out);
            case "DescribeAvailabilityZones" -> zones.describeAvailabilityZones(request, out);
            case "DescribeNetworkInterfaces" -> interfaces.describeNetworkInterfaces(request, out);
            case "DescribeKeyPairs" -> keyPairs.describeKeyPairs(request, out);
            case "DescribeVolumes" -> instances.describeVolumes(request, out);
            case "DescribeInstanceTypeOfferings" -> zones.describeInstanceTypeOfferings(request, out);
            case "AllocateAddress" -> natGateways.allocateAddress(request, out, created);
            case "DescribeAddresses" -> natGateways.describeAddresses(request, out);
            case "ReleaseAddress" -> natGateways.releaseAddress(request, out);
            case "CreateNatGateway" -> natGateways.createNatGateway(request, out, created);
            case "DescribeNatGateways" -> natGateways.describeNatGateways(request, out);
            case "DeleteNatGateway" -> natGateways.deleteNatGateway(request, out);
            case "ReplaceRoute" -> routeTables.replaceRoute(request, out);
            case "ReplaceRouteTableAssociation" -> new RouteTableAssociationReplacement(state, this::newId)
                    .replaceRouteTableAssociation(request, out);
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
        instances.refreshAll(); // RegisterTargets and DescribeTargetHealth read instance states
        return loadBalancers.handle(action, request, requestId, created);
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
