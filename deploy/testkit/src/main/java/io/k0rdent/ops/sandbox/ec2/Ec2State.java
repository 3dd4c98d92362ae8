package io.k0rdent.ops.sandbox.ec2;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The emulator's resources. Plain mutable holders; {@link Ec2Actions} owns them and guards every access with its
 * own lock, so nothing here is synchronized.
 */
final class Ec2State {

    final Map<String, Vpc> vpcs = new LinkedHashMap<>();
    final Map<String, Subnet> subnets = new LinkedHashMap<>();
    final Map<String, InternetGateway> internetGateways = new LinkedHashMap<>();
    final Map<String, RouteTable> routeTables = new LinkedHashMap<>();
    final Map<String, SecurityGroup> securityGroups = new LinkedHashMap<>();
    final Map<String, Instance> instances = new LinkedHashMap<>();
    final Map<String, Reservation> reservationsByToken = new LinkedHashMap<>();
    final Map<String, Reservation> reservations = new LinkedHashMap<>();
    final Map<String, NatGateway> natGateways = new LinkedHashMap<>();
    final Map<String, Address> addresses = new LinkedHashMap<>();
    /** ELBv2's load balancers, target groups and listeners: they occupy this state's subnets. */
    final Elbv2State loadBalancing = new Elbv2State();

    /** The tag map of any taggable resource, or {@code null} when the id is unknown. */
    Map<String, String> tagsOf(String id) {
        Object resource = vpcs.containsKey(id) ? vpcs.get(id)
                : subnets.containsKey(id) ? subnets.get(id)
                : internetGateways.containsKey(id) ? internetGateways.get(id)
                : routeTables.containsKey(id) ? routeTables.get(id)
                : securityGroups.containsKey(id) ? securityGroups.get(id)
                : natGateways.containsKey(id) ? natGateways.get(id)
                : addresses.containsKey(id) ? addresses.get(id)
                : instances.get(id);
        return resource instanceof Tagged tagged ? tagged.tags() : null;
    }

    /** Anything with tags. */
    interface Tagged {
        Map<String, String> tags();
    }

    static final class Vpc implements Tagged {
        final String id;
        final Cidr cidr;
        final Map<String, String> tags = new LinkedHashMap<>();
        String defaultSecurityGroupId;
        String mainRouteTableId;

        Vpc(String id, Cidr cidr) {
            this.id = id;
            this.cidr = cidr;
        }

        @Override
        public Map<String, String> tags() {
            return tags;
        }
    }

    static final class Subnet implements Tagged {
        final String id;
        final String vpcId;
        final String availabilityZone;
        final Cidr cidr;
        final Map<String, String> tags = new LinkedHashMap<>();
        boolean mapPublicIpOnLaunch;
        /** AWS reserves the first four addresses of every subnet. */
        long nextHost = 4;

        Subnet(String id, String vpcId, String availabilityZone, Cidr cidr) {
            this.id = id;
            this.vpcId = vpcId;
            this.availabilityZone = availabilityZone;
            this.cidr = cidr;
        }

        @Override
        public Map<String, String> tags() {
            return tags;
        }
    }

    static final class InternetGateway implements Tagged {
        final String id;
        final Map<String, String> tags = new LinkedHashMap<>();
        String attachedVpcId;

        InternetGateway(String id) {
            this.id = id;
        }

        @Override
        public Map<String, String> tags() {
            return tags;
        }
    }

    /**
     * One route. Exactly one target: {@code gatewayId} (an internet gateway, or {@code local}) or
     * {@code natGatewayId}.
     */
    record Route(String destinationCidrBlock, String gatewayId, String natGatewayId) {

        Route(String destinationCidrBlock, String gatewayId) {
            this(destinationCidrBlock, gatewayId, null);
        }

        static Route toNatGateway(String destinationCidrBlock, String natGatewayId) {
            return new Route(destinationCidrBlock, null, natGatewayId);
        }

        String target() {
            return gatewayId != null ? gatewayId : natGatewayId;
        }
    }

    record Association(String id, String subnetId, boolean main) {
    }

    static final class RouteTable implements Tagged {
        final String id;
        final String vpcId;
        final boolean main;
        final List<Route> routes = new ArrayList<>();
        final List<Association> associations = new ArrayList<>();
        final Map<String, String> tags = new LinkedHashMap<>();

        RouteTable(String id, String vpcId, boolean main) {
            this.id = id;
            this.vpcId = vpcId;
            this.main = main;
        }

        @Override
        public Map<String, String> tags() {
            return tags;
        }
    }

    /**
     * One rule: a protocol and port range with CIDRs and/or security groups, the sources of an ingress rule or the
     * destinations of an egress rule.
     */
    record Permission(String protocol, Integer fromPort, Integer toPort, List<String> cidrs, List<String> groupIds,
                      List<String> ipv6Cidrs) {

        Permission {
            // A state file written before IPv6 ranges were kept has none.
            ipv6Cidrs = ipv6Cidrs == null ? List.of() : List.copyOf(ipv6Cidrs);
        }

        /** The outbound rule every new VPC security group gets (VPC User Guide, "Security group rules"). */
        static Permission allOutbound() {
            return new Permission("-1", null, null, List.of("0.0.0.0/0"), List.of(), List.of());
        }

        boolean hasPeer(String peer) {
            return cidrs.contains(peer) || groupIds.contains(peer) || ipv6Cidrs.contains(peer);
        }
    }

    static final class SecurityGroup implements Tagged {
        final String id;
        final String vpcId;
        final String name;
        final String description;
        final boolean isDefault;
        final List<Permission> ingress = new ArrayList<>();
        final List<Permission> egress = new ArrayList<>();
        final Map<String, String> tags = new LinkedHashMap<>();

        SecurityGroup(String id, String vpcId, String name, String description, boolean isDefault) {
            this.id = id;
            this.vpcId = vpcId;
            this.name = name;
            this.description = description;
            this.isDefault = isDefault;
        }

        @Override
        public Map<String, String> tags() {
            return tags;
        }
    }

    /** EC2 instance states with their numeric codes. */
    enum InstanceState {
        PENDING(0, "pending"),
        RUNNING(16, "running"),
        SHUTTING_DOWN(32, "shutting-down"),
        TERMINATED(48, "terminated"),
        STOPPING(64, "stopping"),
        STOPPED(80, "stopped");

        final int code;
        final String apiName;

        InstanceState(int code, String apiName) {
            this.code = code;
            this.apiName = apiName;
        }
    }

    static final class Instance implements Tagged {
        final String id;
        final String reservationId;
        final String imageId;
        final String instanceType;
        final String keyName;
        final String subnetId;
        final String vpcId;
        final String availabilityZone;
        final String privateIpAddress;
        final String publicIpAddress;
        final List<String> securityGroupIds;
        final String clientToken;
        final int launchIndex;
        final Instant launchTime;
        final Map<String, String> tags = new LinkedHashMap<>();
        InstanceState state = InstanceState.PENDING;
        Instant stateSince;
        int observationsInState;
        /** Metadata options, root volume, profile; {@code null} for instances restored from older state files. */
        LaunchSettings launch;

        Instance(String id, String reservationId, String imageId, String instanceType, String keyName,
                 String subnetId, String vpcId, String availabilityZone, String privateIpAddress,
                 String publicIpAddress, List<String> securityGroupIds, String clientToken, int launchIndex,
                 Instant launchTime) {
            this.id = id;
            this.reservationId = reservationId;
            this.imageId = imageId;
            this.instanceType = instanceType;
            this.keyName = keyName;
            this.subnetId = subnetId;
            this.vpcId = vpcId;
            this.availabilityZone = availabilityZone;
            this.privateIpAddress = privateIpAddress;
            this.publicIpAddress = publicIpAddress;
            this.securityGroupIds = List.copyOf(securityGroupIds);
            this.clientToken = clientToken;
            this.launchIndex = launchIndex;
            this.launchTime = launchTime;
            this.stateSince = launchTime;
        }

        boolean isAlive() {
            return state != InstanceState.TERMINATED;
        }

        void enter(InstanceState next, Instant now) {
            state = next;
            stateSince = now;
            observationsInState = 0;
        }

        @Override
        public Map<String, String> tags() {
            return tags;
        }
    }

    /**
     * One RunInstances call's result.
     *
     * @param fingerprint the call's parameters without the token, to detect {@code IdempotentParameterMismatch}
     */
    record Reservation(String id, String clientToken, String fingerprint, List<String> instanceIds,
                       List<String> groupIds) {
    }

    /** NAT gateway states, as {@code DescribeNatGateways} names them. */
    enum NatState {
        PENDING("pending"),
        FAILED("failed"),
        AVAILABLE("available"),
        DELETING("deleting"),
        DELETED("deleted");

        final String apiName;

        NatState(String apiName) {
            this.apiName = apiName;
        }
    }

    /**
     * A public NAT gateway. It holds a network interface (with a private address from its subnet) and, while not
     * deleted, its Elastic IP; both keep the subnet and the VPC's internet gateway in use.
     */
    static final class NatGateway implements Tagged {
        final String id;
        final String vpcId;
        final String subnetId;
        final String allocationId;
        final String networkInterfaceId;
        final String privateIpAddress;
        final String clientToken;
        final Instant createTime;
        final Map<String, String> tags = new LinkedHashMap<>();
        NatState state = NatState.PENDING;
        Instant stateSince;
        int observationsInState;
        /** Why creation failed, as EC2 reports it in {@code failureCode}/{@code failureMessage}. */
        String failureCode;
        String failureMessage;
        Instant deleteTime;

        NatGateway(String id, String vpcId, String subnetId, String allocationId, String networkInterfaceId,
                   String privateIpAddress, String clientToken, Instant createTime) {
            this.id = id;
            this.vpcId = vpcId;
            this.subnetId = subnetId;
            this.allocationId = allocationId;
            this.networkInterfaceId = networkInterfaceId;
            this.privateIpAddress = privateIpAddress;
            this.clientToken = clientToken;
            this.createTime = createTime;
            this.stateSince = createTime;
        }

        /** Whether it still holds its interface and address (pending, available or deleting). */
        boolean holdsResources() {
            return state == NatState.PENDING || state == NatState.AVAILABLE || state == NatState.DELETING;
        }

        void enter(NatState next, Instant now) {
            state = next;
            stateSince = now;
            observationsInState = 0;
        }

        @Override
        public Map<String, String> tags() {
            return tags;
        }
    }

    /** An Elastic IP address of domain {@code vpc}; associated with at most one NAT gateway. */
    static final class Address implements Tagged {
        final String allocationId;
        final String publicIp;
        final Map<String, String> tags = new LinkedHashMap<>();
        String associationId;
        String natGatewayId;
        String networkInterfaceId;
        String privateIpAddress;

        Address(String allocationId, String publicIp) {
            this.allocationId = allocationId;
            this.publicIp = publicIp;
        }

        @Override
        public Map<String, String> tags() {
            return tags;
        }
    }
}
