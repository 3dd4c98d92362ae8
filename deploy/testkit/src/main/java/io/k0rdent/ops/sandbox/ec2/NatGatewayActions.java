package io.k0rdent.ops.sandbox.ec2;

import static io.k0rdent.ops.sandbox.ec2.Describes.page;
import static io.k0rdent.ops.sandbox.ec2.Describes.select;
import static io.k0rdent.ops.sandbox.ec2.Describes.tagValues;

import io.k0rdent.ops.sandbox.ec2.Ec2State.Address;
import io.k0rdent.ops.sandbox.ec2.Ec2State.NatGateway;
import io.k0rdent.ops.sandbox.ec2.Ec2State.NatState;
import io.k0rdent.ops.sandbox.ec2.Ec2State.Subnet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Public NAT gateways and the Elastic IP addresses they hold, with the behaviour AWS documents (EC2 API Reference:
 * {@code CreateNatGateway}, {@code DeleteNatGateway}, {@code NatGateway}, {@code ReleaseAddress}; VPC User Guide,
 * "Troubleshoot NAT gateways"):
 * <ul>
 *   <li>a new gateway is {@code pending}, then {@code available}; a VPC without an attached internet gateway, or an
 *       address already associated elsewhere, makes it {@code failed} with {@code Gateway.NotAttached} /
 *       {@code Resource.AlreadyAssociated} in {@code failureCode} (the call itself succeeds);</li>
 *   <li>{@code DeleteNatGateway} moves it to {@code deleting}, then {@code deleted}; only then is its Elastic IP
 *       disassociated (not released) and its network interface gone. Deleted and failed gateways stay visible to
 *       {@code DescribeNatGateways} for about an hour;</li>
 *   <li>{@code ReleaseAddress} of an associated address is {@code InvalidIPAddress.InUse};</li>
 *   <li>{@code ClientToken} makes {@code CreateNatGateway} idempotent.</li>
 * </ul>
 * State changes follow the emulator's instance {@link Transitions}: pending like an instance's pending, deleting like
 * shutting-down.
 */
final class NatGatewayActions {

    /** How long EC2 keeps listing a deleted or failed NAT gateway. */
    static final Duration VISIBLE_AFTER_END = Duration.ofHours(1);

    private static final String OWNER_ID = Ec2Actions.OWNER_ID;

    private final Ec2State state;
    private final Ec2EmulatorOptions options;
    private final Clock clock;
    private final Function<String, String> newId;
    private final Supplier<String> publicAddress;
    /** Failures the next created gateways get (a fault switch: a NAT gateway that fails as AWS's can). */
    private final java.util.ArrayDeque<String[]> injectedFailures = new java.util.ArrayDeque<>();

    NatGatewayActions(Ec2State state, Ec2EmulatorOptions options, Clock clock, Function<String, String> newId,
                      Supplier<String> publicAddress) {
        this.state = state;
        this.options = options;
        this.clock = clock;
        this.newId = newId;
        this.publicAddress = publicAddress;
    }

    // ---- Elastic IPs --------------------------------------------------------------------------------------

    void allocateAddress(QueryRequest request, XmlOut out, List<String> created) {
        String domain = request.get("Domain");
        if (domain != null && !domain.equals("vpc")) {
            throw Ec2Error.client("InvalidParameterValue", "Invalid value '" + domain + "' for domain.");
        }
        if (state.addresses.size() >= options.quotas().elasticIps()) {
            throw Ec2Error.client("AddressLimitExceeded", "The maximum number of addresses has been reached.");
        }
        Address address = new Address(newId.apply("eipalloc"), publicAddress.get());
        address.tags.putAll(request.tagSpecifications("elastic-ip"));
        state.addresses.put(address.allocationId, address);
        created.add(address.allocationId);
        out.text("publicIp", address.publicIp).text("domain", "vpc").text("allocationId", address.allocationId)
                .text("networkBorderGroup", options.region()).text("publicIpv4Pool", "amazon");
    }

    void describeAddresses(QueryRequest request, XmlOut out) {
        List<String> ids = request.list("AllocationId");
        for (String id : ids) {
            address(id);
        }
        List<Address> candidates = state.addresses.values().stream()
                .filter(a -> ids.isEmpty() || ids.contains(a.allocationId)).toList();
        List<Address> selected = select(candidates, request.filters(), (address, name) -> switch (name) {
            case "allocation-id" -> List.of(address.allocationId);
            case "association-id" -> optional(address.associationId);
            case "domain" -> List.of("vpc");
            case "public-ip" -> List.of(address.publicIp);
            case "network-interface-id" -> optional(address.networkInterfaceId);
            default -> tagValues(address.tags, name);
        });
        out.start("addressesSet");
        for (Address address : selected) {
            out.start("item").text("publicIp", address.publicIp).text("allocationId", address.allocationId)
                    .text("domain", "vpc").text("associationId", address.associationId)
                    .text("networkInterfaceId", address.networkInterfaceId)
                    .text("networkInterfaceOwnerId", address.networkInterfaceId == null ? null : OWNER_ID)
                    .text("privateIpAddress", address.privateIpAddress)
                    .text("networkBorderGroup", options.region()).text("publicIpv4Pool", "amazon")
                    .tagSet(address.tags).end();
        }
        out.end();
    }

    void releaseAddress(QueryRequest request, XmlOut out) {
        String id = request.get("AllocationId");
        if (id == null) {
            throw Ec2Error.client("MissingParameter", "The request must contain the parameter AllocationId");
        }
        refreshAll();
        Address address = address(id);
        if (address.associationId != null) {
            throw Ec2Error.client("InvalidIPAddress.InUse", "Address " + address.publicIp + " is in use.");
        }
        state.addresses.remove(id);
        out.text("return", true);
    }

    // ---- NAT gateways -------------------------------------------------------------------------------------

    void createNatGateway(QueryRequest request, XmlOut out, List<String> created) {
        String token = request.get("ClientToken");
        if (token != null) {
            NatGateway previous = state.natGateways.values().stream().filter(n -> token.equals(n.clientToken))
                    .findFirst().orElse(null);
            if (previous != null) {
                out.text("clientToken", token).start("natGateway");
                write(out, previous);
                out.end();
                return;
            }
        }
        Subnet subnet = state.subnets.get(request.required("SubnetId"));
        if (subnet == null) {
            throw Ec2Error.notFound("InvalidSubnetID.NotFound", request.required("SubnetId"));
        }
        if ("private".equals(request.get("ConnectivityType"))) {
            throw Ec2Error.client("InvalidParameterValue", "private NAT gateways are not modelled by this emulator");
        }
        String allocationId = request.get("AllocationId");
        if (allocationId == null) {
            throw Ec2Error.client("MissingParameter", "A public NAT gateway needs an AllocationId");
        }
        Address address = address(allocationId);
        long inZone = state.natGateways.values().stream().filter(NatGateway::holdsResources)
                .filter(n -> subnet.availabilityZone.equals(state.subnets.get(n.subnetId) == null ? null
                        : state.subnets.get(n.subnetId).availabilityZone)).count();
        if (inZone >= options.quotas().natGatewaysPerZone()) {
            throw Ec2Error.client("NatGatewayLimitExceeded", "The maximum number of NAT gateways in "
                    + subnet.availabilityZone + " has been reached.");
        }
        Instant now = clock.instant();
        NatGateway gateway = new NatGateway(newId.apply("nat"), subnet.vpcId, subnet.id, allocationId,
                newId.apply("eni"), subnet.cidr.address(subnet.nextHost++), token, now);
        gateway.tags.putAll(request.tagSpecifications("natgateway"));
        boolean internetGateway = state.internetGateways.values().stream()
                .anyMatch(g -> subnet.vpcId.equals(g.attachedVpcId));
        String[] injected = injectedFailures.poll();
        if (injected != null) {
            fail(gateway, injected[0], injected[1], now);
        } else if (!internetGateway) {
            fail(gateway, "Gateway.NotAttached", "Network " + subnet.vpcId + " has no Internet gateway attached", now);
        } else if (address.associationId != null) {
            fail(gateway, "Resource.AlreadyAssociated", "Elastic IP address " + allocationId
                    + " is already associated", now);
        } else {
            address.associationId = newId.apply("eipassoc");
            address.natGatewayId = gateway.id;
            address.networkInterfaceId = gateway.networkInterfaceId;
            address.privateIpAddress = gateway.privateIpAddress;
        }
        state.natGateways.put(gateway.id, gateway);
        created.add(gateway.id);
        out.text("clientToken", token).start("natGateway");
        write(out, gateway);
        out.end();
    }

    void describeNatGateways(QueryRequest request, XmlOut out) {
        Instant now = clock.instant();
        state.natGateways.values().removeIf(n -> n.state == NatState.DELETED || n.state == NatState.FAILED
                ? Duration.between(n.stateSince, now).compareTo(VISIBLE_AFTER_END) > 0 : false);
        List<String> ids = request.list("NatGatewayId");
        for (String id : ids) {
            natGateway(id);
        }
        List<NatGateway> candidates = state.natGateways.values().stream()
                .filter(n -> ids.isEmpty() || ids.contains(n.id)).toList();
        List<NatGateway> selected = select(candidates, request.filters(), (gateway, name) -> switch (name) {
            case "nat-gateway-id" -> List.of(gateway.id);
            case "state" -> List.of(gateway.state.apiName);
            case "subnet-id" -> List.of(gateway.subnetId);
            case "vpc-id" -> List.of(gateway.vpcId);
            default -> tagValues(gateway.tags, name);
        });
        for (NatGateway gateway : selected) {
            // As for instances: the answers so far decide; this answer then counts as one more.
            advance(gateway, now);
            gateway.observationsInState++;
        }
        Describes.Page<NatGateway> page = page(selected, request);
        out.start("natGatewaySet");
        page.items().forEach(gateway -> {
            out.start("item");
            write(out, gateway);
            out.end();
        });
        out.end().text("nextToken", page.nextToken());
    }

    void deleteNatGateway(QueryRequest request, XmlOut out) {
        NatGateway gateway = natGateway(request.required("NatGatewayId"));
        refreshAll();
        if (gateway.state == NatState.PENDING || gateway.state == NatState.AVAILABLE) {
            gateway.enter(NatState.DELETING, clock.instant());
        } else if (gateway.state == NatState.FAILED) {
            end(gateway, clock.instant());
        }
        out.text("natGatewayId", gateway.id);
    }

    /** The next gateway created fails with {@code code} and {@code message}, as EC2 reports such failures. */
    void failNext(String code, String message) {
        injectedFailures.add(new String[] {code, message});
    }

    /** Time-based transitions that happened since the last call, for dependency checks. */
    void refreshAll() {
        Instant now = clock.instant();
        state.natGateways.values().forEach(gateway -> {
            Transitions rule = rule(gateway);
            if (rule != null && rule.elapsed(gateway.stateSince, now)) {
                advance(gateway, now);
            }
        });
    }

    /** NAT gateways that still hold a network interface in {@code subnetId}. */
    List<NatGateway> inSubnet(String subnetId) {
        refreshAll();
        return state.natGateways.values().stream()
                .filter(n -> n.holdsResources() && n.subnetId.equals(subnetId)).toList();
    }

    /** NAT gateways of {@code vpcId} that still map a public (Elastic IP) address. */
    List<NatGateway> mappingPublicAddresses(String vpcId) {
        refreshAll();
        return state.natGateways.values().stream().filter(n -> n.holdsResources() && n.vpcId.equals(vpcId))
                .filter(n -> {
                    Address address = state.addresses.get(n.allocationId);
                    return address != null && n.id.equals(address.natGatewayId);
                }).toList();
    }

    /** Whether {@code id} names a NAT gateway that is not deleted (a route may point at it). */
    boolean exists(String id) {
        NatGateway gateway = state.natGateways.get(id);
        return gateway != null && gateway.state != NatState.DELETED;
    }

    String vpcOf(String natGatewayId) {
        return natGateway(natGatewayId).vpcId;
    }

    /** Whether traffic routed to {@code natGatewayId} goes anywhere ({@code blackhole} when it is gone). */
    boolean routable(String natGatewayId) {
        NatGateway gateway = state.natGateways.get(natGatewayId);
        return gateway != null && gateway.holdsResources() && gateway.state != NatState.DELETING;
    }

    private Transitions rule(NatGateway gateway) {
        return switch (gateway.state) {
            case PENDING -> options.pending();
            case DELETING -> options.shuttingDown();
            default -> null;
        };
    }

    private void advance(NatGateway gateway, Instant now) {
        Transitions rule = rule(gateway);
        if (rule == null) {
            return;
        }
        if (rule.due(gateway.observationsInState, gateway.stateSince, now)) {
            if (gateway.state == NatState.PENDING) {
                gateway.enter(NatState.AVAILABLE, now);
            } else {
                end(gateway, now);
            }
        }
    }

    private void end(NatGateway gateway, Instant now) {
        gateway.enter(NatState.DELETED, now);
        gateway.deleteTime = now;
        Address address = state.addresses.get(gateway.allocationId);
        if (address != null && gateway.id.equals(address.natGatewayId)) {
            address.associationId = null;
            address.natGatewayId = null;
            address.networkInterfaceId = null;
            address.privateIpAddress = null;
        }
    }

    private static void fail(NatGateway gateway, String code, String message, Instant now) {
        gateway.enter(NatState.FAILED, now);
        gateway.failureCode = code;
        gateway.failureMessage = message;
    }

    private void write(XmlOut out, NatGateway gateway) {
        Address address = state.addresses.get(gateway.allocationId);
        boolean holdsAddress = address != null && gateway.id.equals(address.natGatewayId);
        out.text("natGatewayId", gateway.id).text("subnetId", gateway.subnetId).text("vpcId", gateway.vpcId)
                .text("state", gateway.state.apiName).text("connectivityType", "public")
                .text("createTime", gateway.createTime.toString())
                .text("deleteTime", gateway.deleteTime == null ? null : gateway.deleteTime.toString())
                .text("failureCode", gateway.failureCode).text("failureMessage", gateway.failureMessage)
                .start("natGatewayAddressSet");
        if (gateway.state != NatState.FAILED) {
            out.start("item").text("allocationId", gateway.allocationId)
                    .text("networkInterfaceId", gateway.networkInterfaceId)
                    .text("privateIp", gateway.privateIpAddress)
                    .text("publicIp", address == null ? null : address.publicIp)
                    .text("associationId", holdsAddress ? address.associationId : null)
                    .text("isPrimary", true).text("status", holdsAddress ? "succeeded" : "disassociated").end();
        }
        out.end().tagSet(gateway.tags);
    }

    private Address address(String allocationId) {
        Address address = state.addresses.get(allocationId);
        if (address == null) {
            throw Ec2Error.notFound("InvalidAllocationID.NotFound", allocationId);
        }
        return address;
    }

    private NatGateway natGateway(String id) {
        NatGateway gateway = state.natGateways.get(id);
        if (gateway == null) {
            throw Ec2Error.notFound("NatGatewayNotFound", id);
        }
        return gateway;
    }

    private static List<String> optional(String value) {
        return value == null ? List.of() : new ArrayList<>(List.of(value));
    }
}
