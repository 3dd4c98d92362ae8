package io.k0rdent.ops.provisioner.aws;

import static io.k0rdent.ops.provisioner.aws.Ec2Mapping.spec;
import static io.k0rdent.ops.provisioner.aws.Ec2Mapping.tagFilter;
import static io.k0rdent.ops.provisioner.aws.Ec2Mapping.tags;

import io.k0rdent.ops.contracts.event.ProvisioningFailed.FailureReason;
import io.k0rdent.ops.provisioner.ProvisionerProperties;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DomainType;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NatGateway;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.waiters.Ec2Waiter;

/**
 * Private egress of a cluster: Elastic IPs, public NAT gateways and the default routes of private route tables.
 * AWS, "NAT gateways" (VPC User Guide): a public NAT gateway lives in a public subnet with an Elastic IP, is
 * {@code pending} for a while before it is {@code available}, fails (state {@code failed}, with a reason) when the
 * VPC has no internet gateway, and when deleted keeps its address until it is {@code deleted}.
 */
public class EgressCalls {

    /** DescribeNatGateways' {@code MaxResults} range in AWS's model is 5..1000. */
    private static final int PAGE = 1000;

    private final Ec2Client ec2;
    private final Ec2Calls calls;
    private final ProvisionerProperties properties;

    EgressCalls(Ec2Client ec2, Ec2Calls calls, ProvisionerProperties properties) {
        this.ec2 = ec2;
        this.calls = calls;
        this.properties = properties;
    }

    /** The cluster's NAT gateways in every state (deleted and failed ones stay listed for about an hour). */
    List<ClusterInventory.NatGatewayResource> natGateways(String cluster) {
        return ec2.describeNatGatewaysPaginator(r -> r.filter(tagFilter(ClusterTags.CLUSTER, cluster))
                        .maxResults(PAGE)).natGateways().stream()
                .map(EgressCalls::resource).toList();
    }

    /** The cluster's Elastic IPs: id = allocation id, cidr = public address, attachments = its association. */
    List<ClusterInventory.Resource> addresses(String cluster) {
        return ec2.describeAddresses(r -> r.filters(tagFilter(ClusterTags.CLUSTER, cluster))).addresses().stream()
                .map(a -> new ClusterInventory.Resource(a.allocationId(), tags(a.tags()), null, a.publicIp(),
                        a.associationId() == null ? List.of() : List.of(a.associationId())))
                .toList();
    }

    public String allocateAddress(Map<String, String> tags) {
        return calls.created(Ec2Calls.call("AllocateAddress", () -> ec2.allocateAddress(r -> r.domain(DomainType.VPC)
                .tagSpecifications(spec(ResourceType.ELASTIC_IP, tags))).allocationId()));
    }

    /** A repeated call with the same {@code clientToken} answers the same gateway (EC2's idempotency). */
    public String createNatGateway(String subnetId, String allocationId, String clientToken, Map<String, String> tags) {
        return calls.created(calls.call("CreateNatGateway in " + subnetId, List.of(subnetId, allocationId),
                () -> ec2.createNatGateway(r -> r.subnetId(subnetId).allocationId(allocationId)
                        .clientToken(clientToken).tagSpecifications(spec(ResourceType.NATGATEWAY, tags)))
                        .natGateway().natGatewayId()));
    }

    /**
     * Blocks with the SDK's {@code NatGatewayAvailable} waiter. A gateway that fails instead is reported with EC2's
     * own {@code failureCode} and {@code failureMessage} (e.g. {@code Gateway.NotAttached}).
     */
    public void waitUntilAvailable(String natGatewayId) {
        String resource = "Wait NAT gateway " + natGatewayId + " available";
        try (Ec2Waiter waiter = Ec2Waiter.builder().client(ec2).overrideConfiguration(waiting()).build()) {
            calls.call(resource, List.of(natGatewayId),
                    () -> waiter.waitUntilNatGatewayAvailable(r -> r.natGatewayIds(natGatewayId)));
        } catch (Ec2Failure e) {
            NatGateway gateway = describe(natGatewayId);
            if (gateway != null && gateway.failureCode() != null) {
                throw new Ec2Failure(FailureReason.INVALID_PARAMETER, gateway.failureCode(),
                        "CreateNatGateway " + natGatewayId, "NAT gateway " + natGatewayId + " failed: "
                        + gateway.failureMessage(), true, e);
            }
            throw e;
        }
    }

    public void deleteNatGateway(String natGatewayId) {
        calls.call("DeleteNatGateway " + natGatewayId, List.of(natGatewayId),
                () -> ec2.deleteNatGateway(r -> r.natGatewayId(natGatewayId)));
    }

    /**
     * Polls until every gateway is {@code deleted} (or gone): only then are its Elastic IP and its subnet free. AWS
     * takes about a minute; the SDK has no waiter for it, so this polls at the waiter interval, as often as the
     * waiters may.
     */
    public void waitUntilDeleted(List<String> natGatewayIds) {
        if (natGatewayIds.isEmpty()) {
            return;
        }
        String resource = "Wait NAT gateways deleted " + String.join(",", natGatewayIds);
        Polling.until(properties, resource, "still deleting", () -> Ec2Calls.call(resource, () -> ec2
                .describeNatGateways(r -> r.filter(Filter.builder().name("nat-gateway-id").values(natGatewayIds)
                        .build()).maxResults(PAGE)).natGateways().stream()
                .allMatch(n -> "deleted".equals(n.stateAsString()))));
    }

    public void releaseAddress(String allocationId) {
        calls.call("ReleaseAddress " + allocationId, List.of(allocationId),
                () -> ec2.releaseAddress(r -> r.allocationId(allocationId)));
    }

    /** {@code 0.0.0.0/0} via the NAT gateway, in a table that has no default route yet. */
    public void addDefaultRoute(String routeTableId, String natGatewayId) {
        calls.call("CreateRoute " + routeTableId, List.of(routeTableId, natGatewayId), () -> ec2.createRoute(r -> r
                .routeTableId(routeTableId).destinationCidrBlock("0.0.0.0/0").natGatewayId(natGatewayId)));
    }

    /** Points an existing default route (to another gateway, or a blackhole) at the NAT gateway. */
    public void replaceDefaultRoute(String routeTableId, String natGatewayId) {
        calls.call("ReplaceRoute " + routeTableId, List.of(routeTableId, natGatewayId), () -> ec2.replaceRoute(r -> r
                .routeTableId(routeTableId).destinationCidrBlock("0.0.0.0/0").natGatewayId(natGatewayId)));
    }

    private NatGateway describe(String natGatewayId) {
        try {
            return Ec2Calls.call("DescribeNatGateways " + natGatewayId, () -> ec2.describeNatGateways(r -> r
                    .natGatewayIds(natGatewayId)).natGateways().stream().findFirst().orElse(null));
        } catch (Ec2Failure e) {
            return null;
        }
    }

    private WaiterOverrideConfiguration waiting() {
        return WaiterOverrideConfiguration.builder().maxAttempts(properties.waiterMaxAttempts())
                .backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(properties.waiterPollInterval()))
                .build();
    }

    private static ClusterInventory.NatGatewayResource resource(NatGateway gateway) {
        String allocation = gateway.natGatewayAddresses().isEmpty() ? null
                : gateway.natGatewayAddresses().get(0).allocationId();
        return new ClusterInventory.NatGatewayResource(gateway.natGatewayId(), gateway.subnetId(),
                gateway.stateAsString(), allocation, gateway.failureCode(), tags(gateway.tags()));
    }
}
