package io.k0rdent.ops.sandbox.ec2;

import static io.k0rdent.ops.sandbox.ec2.Describes.byIds;
import static io.k0rdent.ops.sandbox.ec2.Describes.find;
import static io.k0rdent.ops.sandbox.ec2.Describes.page;
import static io.k0rdent.ops.sandbox.ec2.Describes.select;
import static io.k0rdent.ops.sandbox.ec2.Describes.tagValues;

import io.k0rdent.ops.sandbox.ec2.Ec2State.Association;
import io.k0rdent.ops.sandbox.ec2.Ec2State.InternetGateway;
import io.k0rdent.ops.sandbox.ec2.Ec2State.Permission;
import io.k0rdent.ops.sandbox.ec2.Ec2State.Route;
import io.k0rdent.ops.sandbox.ec2.Ec2State.RouteTable;
import io.k0rdent.ops.sandbox.ec2.Ec2State.SecurityGroup;
import io.k0rdent.ops.sandbox.ec2.Ec2State.Subnet;
import io.k0rdent.ops.sandbox.ec2.Ec2State.Vpc;
import java.util.List;
import java.util.function.Function;

/**
 * VPCs (with the main route table and default security group EC2 gives each), subnets and internet gateways, with
 * the dependency checks EC2 makes before deleting or detaching them.
 */
final class VpcActions {

    private static final String OWNER_ID = Ec2Actions.OWNER_ID;

    private final Ec2State state;
    private final Ec2EmulatorOptions options;
    private final Function<String, String> newId;
    /** Brings instance states up to date, so dependency checks see transitions that happened since the last call. */
    private final Runnable refresh;
    private final ZoneActions zones;
    private final NatGatewayActions natGateways;
    private final LoadBalancerActions loadBalancers;

    VpcActions(Ec2State state, Ec2EmulatorOptions options, Function<String, String> newId, Runnable refresh,
               ZoneActions zones, NatGatewayActions natGateways, LoadBalancerActions loadBalancers) {
        this.state = state;
        this.options = options;
        this.newId = newId;
        this.refresh = refresh;
        this.zones = zones;
        this.natGateways = natGateways;
        this.loadBalancers = loadBalancers;
    }

    void createVpc(QueryRequest request, XmlOut out, List<String> created) {
        Cidr cidr = Cidr.parse(request.required("CidrBlock"));
        if (cidr.prefix() < 16 || cidr.prefix() > 28) {
            throw Ec2Error.client("InvalidVpc.Range", "The CIDR '" + cidr + "' is invalid.");
        }
        if (state.vpcs.size() >= options.quotas().vpcs()) {
            throw Ec2Error.client("VpcLimitExceeded", "The maximum number of VPCs has been reached.");
        }
        Vpc vpc = new Vpc(newId.apply("vpc"), cidr);
        vpc.tags.putAll(request.tagSpecifications("vpc"));
        state.vpcs.put(vpc.id, vpc);
        // Like EC2: every VPC comes with a main route table (local route) and a default security group.
        RouteTable main = new RouteTable(newId.apply("rtb"), vpc.id, true);
        main.routes.add(new Route(cidr.toString(), "local"));
        main.associations.add(new Association(newId.apply("rtbassoc"), null, true));
        state.routeTables.put(main.id, main);
        vpc.mainRouteTableId = main.id;
        SecurityGroup defaultGroup = new SecurityGroup(newId.apply("sg"), vpc.id, "default",
                "default VPC security group", true);
        defaultGroup.egress.add(Permission.allOutbound());
        state.securityGroups.put(defaultGroup.id, defaultGroup);
        vpc.defaultSecurityGroupId = defaultGroup.id;
        created.add(vpc.id);
        out.start("vpc");
        writeVpc(out, vpc);
        out.end();
    }

    void describeVpcs(QueryRequest request, XmlOut out) {
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

    void deleteVpc(QueryRequest request, XmlOut out) {
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

    void createSubnet(QueryRequest request, XmlOut out, List<String> created) {
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
        Subnet subnet = new Subnet(newId.apply("subnet"), vpc.id, zone, cidr);
        subnet.tags.putAll(request.tagSpecifications("subnet"));
        state.subnets.put(subnet.id, subnet);
        created.add(subnet.id);
        out.start("subnet");
        writeSubnet(out, subnet);
        out.end();
    }

    void describeSubnets(QueryRequest request, XmlOut out) {
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

    void modifySubnetAttribute(QueryRequest request, XmlOut out) {
        Subnet subnet = find(state.subnets, request.required("SubnetId"), "InvalidSubnetID.NotFound");
        if (request.get("MapPublicIpOnLaunch.Value") != null) {
            subnet.mapPublicIpOnLaunch = request.bool("MapPublicIpOnLaunch.Value");
        }
        out.text("return", true);
    }

    void deleteSubnet(QueryRequest request, XmlOut out) {
        Subnet subnet = find(state.subnets, request.required("SubnetId"), "InvalidSubnetID.NotFound");
        refresh.run();
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

    void createInternetGateway(QueryRequest request, XmlOut out, List<String> created) {
        InternetGateway gateway = new InternetGateway(newId.apply("igw"));
        gateway.tags.putAll(request.tagSpecifications("internet-gateway"));
        state.internetGateways.put(gateway.id, gateway);
        created.add(gateway.id);
        out.start("internetGateway");
        writeInternetGateway(out, gateway);
        out.end();
    }

    void attachInternetGateway(QueryRequest request, XmlOut out) {
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

    void detachInternetGateway(QueryRequest request, XmlOut out) {
        InternetGateway gateway = find(state.internetGateways, request.required("InternetGatewayId"),
                "InvalidInternetGatewayID.NotFound");
        String vpcId = request.required("VpcId");
        if (!vpcId.equals(gateway.attachedVpcId)) {
            throw Ec2Error.client("Gateway.NotAttached", "resource " + gateway.id + " is not attached to network "
                    + vpcId);
        }
        refresh.run();
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

    void deleteInternetGateway(QueryRequest request, XmlOut out) {
        InternetGateway gateway = find(state.internetGateways, request.required("InternetGatewayId"),
                "InvalidInternetGatewayID.NotFound");
        if (gateway.attachedVpcId != null) {
            throw Ec2Error.dependencyViolation("The internetGateway '" + gateway.id
                    + "' has dependencies and cannot be deleted.");
        }
        state.internetGateways.remove(gateway.id);
        out.text("return", true);
    }

    void describeInternetGateways(QueryRequest request, XmlOut out) {
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
}
