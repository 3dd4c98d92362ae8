package io.k0rdent.ops.sandbox.ec2;

import static io.k0rdent.ops.sandbox.ec2.Describes.page;
import static io.k0rdent.ops.sandbox.ec2.Describes.select;
import static io.k0rdent.ops.sandbox.ec2.Describes.tagValues;

import io.k0rdent.ops.sandbox.ec2.Ec2State.Instance;
import io.k0rdent.ops.sandbox.ec2.Ec2State.NatGateway;
import io.k0rdent.ops.sandbox.ec2.Elbv2State.LoadBalancer;
import io.k0rdent.ops.sandbox.ec2.Elbv2State.Placement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@code DescribeNetworkInterfaces}: the interfaces that keep subnets, groups and VPCs in use. */
final class NetworkInterfaceActions {

    private static final String OWNER_ID = Ec2Actions.OWNER_ID;

    private final Ec2State state;
    private final Supplier<List<LoadBalancer>> loadBalancers;

    /** @param loadBalancers the load balancers whose nodes' interfaces are still in their subnets */
    NetworkInterfaceActions(Ec2State state, Supplier<List<LoadBalancer>> loadBalancers) {
        this.state = state;
        this.loadBalancers = loadBalancers;
    }

    /**
     * One interface as DescribeNetworkInterfaces lists it.
     *
     * @param instanceId    the instance it is attached to; {@code null} for a NAT gateway's or load balancer node's
     * @param interfaceType {@code interface}, {@code nat_gateway} or {@code network_load_balancer}
     * @param requesterId   the service that created it for the account ({@code amazon-elb},
     *                      {@code amazon-nat-gateway}); {@code null} if the account did
     */
    private record Interface(String id, String subnetId, String vpcId, String zone, String description,
                             String interfaceType, String requesterId, String privateIp, String publicIp,
                             String instanceId, List<String> groupIds, Map<String, String> tags) {
    }

    /**
     * Every live instance's primary network interface (device 0), every NAT gateway's interface while the gateway
     * holds it, and each load balancer node's interface (type {@code network_load_balancer}, description
     * {@code ELB net/<name>/<id>}, requester {@code amazon-elb}), as EC2 lists them: the interfaces that keep a subnet,
     * security group or VPC from being deleted. An instance's interface id is derived from the instance's, so it is
     * stable.
     */
    void describeNetworkInterfaces(QueryRequest request, XmlOut out) {
        List<Interface> all = new ArrayList<>();
        state.instances.values().stream().filter(Instance::isAlive).forEach(i -> all.add(new Interface(
                "eni-" + i.id.substring(2), i.subnetId, i.vpcId, i.availabilityZone, "", "interface", null,
                i.privateIpAddress, i.publicIpAddress, i.id, i.securityGroupIds,
                i.launch == null ? Map.of() : i.launch.interfaceTags())));
        state.natGateways.values().stream().filter(NatGateway::holdsResources).forEach(nat -> {
            Ec2State.Subnet subnet = state.subnets.get(nat.subnetId);
            Ec2State.Address address = state.addresses.get(nat.allocationId);
            all.add(new Interface(nat.networkInterfaceId, nat.subnetId, nat.vpcId,
                    subnet == null ? null : subnet.availabilityZone, "Interface for NAT Gateway " + nat.id,
                    "nat_gateway", "amazon-nat-gateway", nat.privateIpAddress,
                    address != null && nat.id.equals(address.natGatewayId) ? address.publicIp : null, null,
                    List.of(), Map.of()));
        });
        for (LoadBalancer lb : loadBalancers.get()) {
            for (Placement p : lb.placements) {
                all.add(new Interface(p.interfaceId(), p.subnetId(), lb.vpcId, p.zone(),
                        "ELB net/" + lb.name + "/" + lb.id, "network_load_balancer", "amazon-elb", p.privateIp(),
                        p.publicIp(), null, List.of(), Map.of()));
            }
        }
        List<String> wanted = request.list("NetworkInterfaceId");
        List<Interface> selected = select(all, request.filters(), (eni, name) -> switch (name) {
            case "network-interface-id" -> List.of(eni.id());
            case "vpc-id" -> List.of(eni.vpcId());
            case "subnet-id" -> List.of(eni.subnetId());
            case "availability-zone" -> List.of(eni.zone());
            case "attachment.instance-id" -> eni.instanceId() == null ? List.of() : List.of(eni.instanceId());
            case "group-id" -> eni.groupIds();
            case "interface-type" -> List.of(eni.interfaceType());
            case "description" -> List.of(eni.description());
            case "requester-id" -> eni.requesterId() == null ? List.of() : List.of(eni.requesterId());
            case "requester-managed" -> List.of(String.valueOf(eni.requesterId() != null));
            case "status" -> List.of("in-use");
            default -> tagValues(eni.tags(), name);
        }).stream().filter(eni -> wanted.isEmpty() || wanted.contains(eni.id())).toList();
        if (selected.isEmpty() && !wanted.isEmpty()) {
            throw Ec2Error.notFound("InvalidNetworkInterfaceID.NotFound", wanted.get(0));
        }
        Describes.Page<Interface> page = page(selected, request);
        out.start("networkInterfaceSet");
        page.items().forEach(eni -> {
            out.start("item").text("networkInterfaceId", eni.id()).text("subnetId", eni.subnetId())
                    .text("vpcId", eni.vpcId()).text("availabilityZone", eni.zone())
                    .text("description", eni.description()).text("ownerId", OWNER_ID)
                    .text("requesterId", eni.requesterId()).text("requesterManaged", eni.requesterId() != null)
                    .text("status", "in-use").text("interfaceType", eni.interfaceType())
                    .text("privateIpAddress", eni.privateIp());
            if (eni.publicIp() != null) {
                out.start("association").text("publicIp", eni.publicIp())
                        .text("ipOwnerId", "nat_gateway".equals(eni.interfaceType()) ? OWNER_ID : "amazon").end();
            }
            if (eni.instanceId() != null) {
                out.start("attachment").text("attachmentId", "eni-attach-" + eni.instanceId().substring(2))
                        .text("instanceId", eni.instanceId()).text("instanceOwnerId", OWNER_ID)
                        .text("deviceIndex", 0).text("status", "attached").text("deleteOnTermination", true).end();
            } else {
                // A NAT gateway's or load balancer node's: attached by the service, not to the account's instance.
                out.start("attachment").text("attachmentId", "ela-attach-" + eni.id().substring(4))
                        .text("instanceOwnerId", eni.requesterId()).text("deviceIndex", 1)
                        .text("status", "attached").text("deleteOnTermination", false).end();
            }
            out.start("groupSet");
            eni.groupIds().forEach(group -> out.start("item").text("groupId", group).end());
            out.end().tagSet(eni.tags()).end();
        });
        out.end().text("nextToken", page.nextToken());
    }
}
