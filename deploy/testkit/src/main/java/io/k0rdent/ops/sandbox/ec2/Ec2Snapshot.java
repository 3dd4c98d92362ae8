package io.k0rdent.ops.sandbox.ec2;

import io.k0rdent.ops.sandbox.ec2.Ec2State.Address;
import io.k0rdent.ops.sandbox.ec2.Ec2State.Association;
import io.k0rdent.ops.sandbox.ec2.Ec2State.Instance;
import io.k0rdent.ops.sandbox.ec2.Ec2State.InstanceState;
import io.k0rdent.ops.sandbox.ec2.Ec2State.InternetGateway;
import io.k0rdent.ops.sandbox.ec2.Ec2State.NatGateway;
import io.k0rdent.ops.sandbox.ec2.Ec2State.NatState;
import io.k0rdent.ops.sandbox.ec2.Ec2State.Permission;
import io.k0rdent.ops.sandbox.ec2.Ec2State.Reservation;
import io.k0rdent.ops.sandbox.ec2.Ec2State.Route;
import io.k0rdent.ops.sandbox.ec2.Ec2State.RouteTable;
import io.k0rdent.ops.sandbox.ec2.Ec2State.SecurityGroup;
import io.k0rdent.ops.sandbox.ec2.Ec2State.Subnet;
import io.k0rdent.ops.sandbox.ec2.Ec2State.Vpc;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything {@link Ec2Actions} keeps, as plain data for a JSON file: the resources with their tags (in their
 * order: DescribeInstances answers them that way), the
 * reservations (so a ClientToken sent before a restart still finds its instances) and the counters behind new ids
 * and public addresses (so nothing created after a restart collides with what existed before).
 *
 * @param version          format version of this file
 * @param seed             the seed of the id source
 * @param idsIssued        how many ids the seeded id source has handed out; a restart replays that many draws
 * @param publicAddresses  the public address counter
 * @param loadBalancing    the ELBv2 resources; absent ({@code null}) in a file written before the emulator had them
 */
record Ec2Snapshot(int version, long seed, long idsIssued, long publicAddresses, List<VpcData> vpcs, List<SubnetData> subnets,
                   List<GatewayData> internetGateways, List<RouteTableData> routeTables,
                   List<SecurityGroupData> securityGroups, List<InstanceData> instances,
                   List<Reservation> reservations, List<NatGatewayData> natGateways, List<AddressData> addresses,
                   Elbv2Snapshot loadBalancing) {

    static final int VERSION = 1;

    Ec2Snapshot {
        vpcs = List.copyOf(vpcs);
        subnets = List.copyOf(subnets);
        internetGateways = List.copyOf(internetGateways);
        routeTables = List.copyOf(routeTables);
        securityGroups = List.copyOf(securityGroups);
        instances = List.copyOf(instances);
        reservations = List.copyOf(reservations);
        // Files written before NAT gateways were modelled have neither list.
        natGateways = natGateways == null ? List.of() : List.copyOf(natGateways);
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }

    record NatGatewayData(String id, String vpcId, String subnetId, String allocationId, String networkInterfaceId,
                          String privateIpAddress, String clientToken, String createTime, Map<String, String> tags,
                          String state, String stateSince, int observationsInState, String failureCode,
                          String failureMessage, String deleteTime) {
    }

    record AddressData(String allocationId, String publicIp, Map<String, String> tags, String associationId,
                       String natGatewayId, String networkInterfaceId, String privateIpAddress) {
    }

    record VpcData(String id, String cidr, Map<String, String> tags, String defaultSecurityGroupId,
                   String mainRouteTableId) {
    }

    record SubnetData(String id, String vpcId, String availabilityZone, String cidr, Map<String, String> tags,
                      boolean mapPublicIpOnLaunch, long nextHost) {
    }

    record GatewayData(String id, Map<String, String> tags, String attachedVpcId) {
    }

    record RouteTableData(String id, String vpcId, boolean main, List<Route> routes, List<Association> associations,
                          Map<String, String> tags) {
    }

    record SecurityGroupData(String id, String vpcId, String name, String description, boolean isDefault,
                             List<Permission> ingress, List<Permission> egress, Map<String, String> tags) {
    }

    record InstanceData(String id, String reservationId, String imageId, String instanceType, String keyName,
                        String subnetId, String vpcId, String availabilityZone, String privateIpAddress,
                        String publicIpAddress, List<String> securityGroupIds, String clientToken, int launchIndex,
                        String launchTime, Map<String, String> tags, String state, String stateSince,
                        int observationsInState, LaunchSettings launch) {
    }

    /** Copies {@code state}; the caller holds the lock that guards it. */
    static Ec2Snapshot of(Ec2State state, long seed, long idsIssued, long publicAddresses) {
        return new Ec2Snapshot(VERSION, seed, idsIssued, publicAddresses,
                state.vpcs.values().stream().map(v -> new VpcData(v.id, v.cidr.toString(), new LinkedHashMap<>(v.tags),
                        v.defaultSecurityGroupId, v.mainRouteTableId)).toList(),
                state.subnets.values().stream().map(s -> new SubnetData(s.id, s.vpcId, s.availabilityZone,
                        s.cidr.toString(), new LinkedHashMap<>(s.tags), s.mapPublicIpOnLaunch, s.nextHost)).toList(),
                state.internetGateways.values().stream().map(g -> new GatewayData(g.id, new LinkedHashMap<>(g.tags),
                        g.attachedVpcId)).toList(),
                state.routeTables.values().stream().map(t -> new RouteTableData(t.id, t.vpcId, t.main,
                        List.copyOf(t.routes), List.copyOf(t.associations), new LinkedHashMap<>(t.tags))).toList(),
                state.securityGroups.values().stream().map(g -> new SecurityGroupData(g.id, g.vpcId, g.name,
                        g.description, g.isDefault, List.copyOf(g.ingress), List.copyOf(g.egress),
                        new LinkedHashMap<>(g.tags))).toList(),
                state.instances.values().stream().map(i -> new InstanceData(i.id, i.reservationId, i.imageId,
                        i.instanceType, i.keyName, i.subnetId, i.vpcId, i.availabilityZone, i.privateIpAddress,
                        i.publicIpAddress, i.securityGroupIds, i.clientToken, i.launchIndex,
                        i.launchTime.toString(), new LinkedHashMap<>(i.tags), i.state.name(), i.stateSince.toString(),
                        i.observationsInState, i.launch)).toList(),
                List.copyOf(state.reservations.values()),
                state.natGateways.values().stream().map(n -> new NatGatewayData(n.id, n.vpcId, n.subnetId,
                        n.allocationId, n.networkInterfaceId, n.privateIpAddress, n.clientToken,
                        n.createTime.toString(), new LinkedHashMap<>(n.tags), n.state.name(), n.stateSince.toString(),
                        n.observationsInState, n.failureCode, n.failureMessage,
                        n.deleteTime == null ? null : n.deleteTime.toString())).toList(),
                state.addresses.values().stream().map(a -> new AddressData(a.allocationId, a.publicIp,
                        new LinkedHashMap<>(a.tags), a.associationId, a.natGatewayId, a.networkInterfaceId,
                        a.privateIpAddress)).toList(),
                Elbv2Snapshot.of(state.loadBalancing));
    }

    /** Fills an empty {@code state} with this snapshot's resources. */
    void restoreInto(Ec2State state) {
        if (version != VERSION) {
            throw new IllegalStateException("EC2 emulator state of format " + version + ", this sandbox reads "
                    + VERSION);
        }
        for (VpcData v : vpcs) {
            Vpc vpc = new Vpc(v.id(), Cidr.parse(v.cidr()));
            vpc.tags.putAll(v.tags());
            vpc.defaultSecurityGroupId = v.defaultSecurityGroupId();
            vpc.mainRouteTableId = v.mainRouteTableId();
            state.vpcs.put(vpc.id, vpc);
        }
        for (SubnetData s : subnets) {
            Subnet subnet = new Subnet(s.id(), s.vpcId(), s.availabilityZone(), Cidr.parse(s.cidr()));
            subnet.tags.putAll(s.tags());
            subnet.mapPublicIpOnLaunch = s.mapPublicIpOnLaunch();
            subnet.nextHost = s.nextHost();
            state.subnets.put(subnet.id, subnet);
        }
        for (GatewayData g : internetGateways) {
            InternetGateway gateway = new InternetGateway(g.id());
            gateway.tags.putAll(g.tags());
            gateway.attachedVpcId = g.attachedVpcId();
            state.internetGateways.put(gateway.id, gateway);
        }
        for (RouteTableData t : routeTables) {
            RouteTable table = new RouteTable(t.id(), t.vpcId(), t.main());
            table.routes.addAll(t.routes());
            table.associations.addAll(t.associations());
            table.tags.putAll(t.tags());
            state.routeTables.put(table.id, table);
        }
        for (SecurityGroupData g : securityGroups) {
            SecurityGroup group = new SecurityGroup(g.id(), g.vpcId(), g.name(), g.description(), g.isDefault());
            group.ingress.addAll(g.ingress());
            // A file written before egress rules were kept had every group at AWS's default outbound rule.
            group.egress.addAll(g.egress() == null ? List.of(Permission.allOutbound()) : g.egress());
            group.tags.putAll(g.tags());
            state.securityGroups.put(group.id, group);
        }
        for (InstanceData i : instances) {
            Instance instance = new Instance(i.id(), i.reservationId(), i.imageId(), i.instanceType(), i.keyName(),
                    i.subnetId(), i.vpcId(), i.availabilityZone(), i.privateIpAddress(), i.publicIpAddress(),
                    i.securityGroupIds(), i.clientToken(), i.launchIndex(), Instant.parse(i.launchTime()));
            instance.tags.putAll(i.tags());
            instance.state = InstanceState.valueOf(i.state());
            instance.stateSince = Instant.parse(i.stateSince());
            instance.observationsInState = i.observationsInState();
            instance.launch = i.launch();
            state.instances.put(instance.id, instance);
        }
        for (NatGatewayData n : natGateways) {
            NatGateway gateway = new NatGateway(n.id(), n.vpcId(), n.subnetId(), n.allocationId(),
                    n.networkInterfaceId(), n.privateIpAddress(), n.clientToken(), Instant.parse(n.createTime()));
            gateway.tags.putAll(n.tags());
            gateway.state = NatState.valueOf(n.state());
            gateway.stateSince = Instant.parse(n.stateSince());
            gateway.observationsInState = n.observationsInState();
            gateway.failureCode = n.failureCode();
            gateway.failureMessage = n.failureMessage();
            gateway.deleteTime = n.deleteTime() == null ? null : Instant.parse(n.deleteTime());
            state.natGateways.put(gateway.id, gateway);
        }
        for (AddressData a : addresses) {
            Address address = new Address(a.allocationId(), a.publicIp());
            address.tags.putAll(a.tags());
            address.associationId = a.associationId();
            address.natGatewayId = a.natGatewayId();
            address.networkInterfaceId = a.networkInterfaceId();
            address.privateIpAddress = a.privateIpAddress();
            state.addresses.put(address.allocationId, address);
        }
        for (Reservation reservation : reservations) {
            state.reservations.put(reservation.id(), reservation);
            if (reservation.clientToken() != null) {
                state.reservationsByToken.put(reservation.clientToken(), reservation);
            }
        }
        if (loadBalancing != null) {
            loadBalancing.restoreInto(state.loadBalancing);
        }
    }
}
