package io.k0rdent.ops.sandbox.ec2;

import static io.k0rdent.ops.sandbox.ec2.Describes.page;
import static io.k0rdent.ops.sandbox.ec2.Describes.select;
import static io.k0rdent.ops.sandbox.ec2.Describes.tagValues;

import io.k0rdent.ops.sandbox.ec2.Ec2State.Instance;
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
     * Every live instance's primary network interface (device 0), as EC2 lists it: the interfaces that keep a subnet,
     * security group or VPC from being deleted. Its id is derived from the instance's, so it is stable.
     */
    void describeNetworkInterfaces(QueryRequest request, XmlOut out) {
        List<Instance> live = state.instances.values().stream().filter(Instance::isAlive).toList();
        List<String> wanted = request.list("NetworkInterfaceId");
        List<Instance> selected = select(live, request.filters(), (instance, name) -> switch (name) {
            case "network-interface-id" -> List.of(interfaceId(instance));
            case "vpc-id" -> List.of(instance.vpcId);
            case "subnet-id" -> List.of(instance.subnetId);
            case "attachment.instance-id" -> List.of(instance.id);
            case "group-id" -> instance.securityGroupIds;
            case "interface-type" -> List.of("interface");
            case "status" -> List.of("in-use");
            default -> tagValues(Map.of(), name);
        }).stream().filter(i -> wanted.isEmpty() || wanted.contains(interfaceId(i))).toList();
        if (selected.isEmpty() && !wanted.isEmpty()) {
            throw Ec2Error.notFound("InvalidNetworkInterfaceID.NotFound", wanted.get(0));
        }
        Describes.Page<Instance> page = page(selected, request);
        out.start("networkInterfaceSet");
        page.items().forEach(instance -> {
            out.start("item").text("networkInterfaceId", interfaceId(instance)).text("subnetId", instance.subnetId)
                    .text("vpcId", instance.vpcId).text("availabilityZone", instance.availabilityZone)
                    .text("description", "").text("ownerId", OWNER_ID).text("requesterManaged", false)
                    .text("status", "in-use").text("interfaceType", "interface")
                    .text("privateIpAddress", instance.privateIpAddress)
                    .start("attachment").text("attachmentId", "eni-attach-" + instance.id.substring(2))
                    .text("instanceId", instance.id).text("instanceOwnerId", OWNER_ID).text("deviceIndex", 0)
                    .text("status", "attached").text("deleteOnTermination", true).end()
                    .start("groupSet");
            instance.securityGroupIds.forEach(group -> out.start("item").text("groupId", group).end());
            out.end().end();
        });
        out.end().text("nextToken", page.nextToken());
    }

    private static String interfaceId(Instance instance) {
        return "eni-" + instance.id.substring(2);
    }
}
