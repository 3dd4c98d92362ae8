package io.k0rdent.ops.sandbox.ec2;

import static io.k0rdent.ops.sandbox.ec2.Describes.page;
import static io.k0rdent.ops.sandbox.ec2.Describes.select;
import static io.k0rdent.ops.sandbox.ec2.Describes.tagValues;

import io.k0rdent.ops.sandbox.ec2.Ec2State.Instance;
import io.k0rdent.ops.sandbox.ec2.Ec2State.NatGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code DescribeNetworkInterfaces}: the interfaces that keep subnets, groups and VPCs in use. */
final class NetworkInterfaceActions {

    private static final String OWNER_ID = Ec2Actions.OWNER_ID;

    private final Ec2State state;

    NetworkInterfaceActions(Ec2State state) {
        this.state = state;
    }

    /**
     * One interface as EC2 lists it.
     *
     * @param instanceId    the instance it is attached to, or {@code null} (a NAT gateway's interface)
     * @param interfaceType {@code interface} for an instance's, {@code nat_gateway} for a NAT gateway's
     * @param requesterId   who created it on the account's behalf ({@code null} for the account itself)
     */
    private record Eni(String id, String subnetId, String vpcId, String availabilityZone, String privateIpAddress,
                       String instanceId, List<String> groupIds, String interfaceType, String description,
                       String requesterId, Map<String, String> tags) {
    }

    /**
     * Every live instance's primary network interface (device 0), and every NAT gateway's interface while the gateway
     * holds it: the interfaces that keep a subnet, security group or VPC from being deleted. An instance interface's id
     * is derived from the instance's, so it is stable.
     */
    void describeNetworkInterfaces(QueryRequest request, XmlOut out) {
        List<Eni> all = new ArrayList<>();
        state.instances.values().stream().filter(Instance::isAlive).forEach(instance -> all.add(new Eni(
                "eni-" + instance.id.substring(2), instance.subnetId, instance.vpcId, instance.availabilityZone,
                instance.privateIpAddress, instance.id, instance.securityGroupIds, "interface", "", null,
                instance.launch == null ? Map.of() : instance.launch.interfaceTags())));
        state.natGateways.values().stream().filter(NatGateway::holdsResources).forEach(nat -> {
            Ec2State.Subnet subnet = state.subnets.get(nat.subnetId);
            all.add(new Eni(nat.networkInterfaceId, nat.subnetId, nat.vpcId,
                    subnet == null ? null : subnet.availabilityZone, nat.privateIpAddress, null, List.of(),
                    "nat_gateway", "Interface for NAT Gateway " + nat.id, "amazon-nat-gateway", Map.of()));
        });
        List<String> wanted = request.list("NetworkInterfaceId");
        List<Eni> selected = select(all, request.filters(), (eni, name) -> switch (name) {
            case "network-interface-id" -> List.of(eni.id());
            case "vpc-id" -> List.of(eni.vpcId());
            case "subnet-id" -> List.of(eni.subnetId());
            case "attachment.instance-id" -> eni.instanceId() == null ? List.of() : List.of(eni.instanceId());
            case "group-id" -> eni.groupIds();
            case "interface-type" -> List.of(eni.interfaceType());
            case "requester-id" -> eni.requesterId() == null ? List.of() : List.of(eni.requesterId());
            case "description" -> List.of(eni.description());
            case "status" -> List.of("in-use");
            default -> tagValues(eni.tags(), name);
        }).stream().filter(eni -> wanted.isEmpty() || wanted.contains(eni.id())).toList();
        if (selected.isEmpty() && !wanted.isEmpty()) {
            throw Ec2Error.notFound("InvalidNetworkInterfaceID.NotFound", wanted.get(0));
        }
        Describes.Page<Eni> page = page(selected, request);
        out.start("networkInterfaceSet");
        page.items().forEach(eni -> {
            out.start("item").text("networkInterfaceId", eni.id()).text("subnetId", eni.subnetId())
                    .text("vpcId", eni.vpcId()).text("availabilityZone", eni.availabilityZone())
                    .text("description", eni.description()).text("ownerId", OWNER_ID)
                    .text("requesterId", eni.requesterId()).text("requesterManaged", eni.requesterId() != null)
                    .text("status", "in-use").text("interfaceType", eni.interfaceType())
                    .text("privateIpAddress", eni.privateIpAddress());
            if (eni.instanceId() != null) {
                out.start("attachment").text("attachmentId", "eni-attach-" + eni.instanceId().substring(2))
                        .text("instanceId", eni.instanceId()).text("instanceOwnerId", OWNER_ID)
                        .text("deviceIndex", 0).text("status", "attached").text("deleteOnTermination", true).end();
            }
            out.start("groupSet");
            eni.groupIds().forEach(group -> out.start("item").text("groupId", group).end());
            out.end().tagSet(eni.tags()).end();
        });
        out.end().text("nextToken", page.nextToken());
    }
}
