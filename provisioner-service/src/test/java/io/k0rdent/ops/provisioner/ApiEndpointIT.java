package io.k0rdent.ops.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.event.InfrastructureDestroyed;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.NodeRole;
import io.k0rdent.ops.contracts.event.ProvisionedNode;
import io.k0rdent.ops.provisioner.drift.DriftReconciler;
import io.k0rdent.ops.provisioner.kafka.EventPublisher;
import io.k0rdent.ops.provisioner.support.Definitions;
import io.k0rdent.ops.provisioner.support.ProvisionerHarness;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * Every cluster's API address is a network load balancer's DNS name (issue 14: it was controller 0's own address, so
 * replacing controller 0 changed the cluster's address), with target groups for 6443, 9443 and 8132 that follow the
 * controllers.
 */
@KafkaIntegrationTest
class ApiEndpointIT {

    private static ElasticLoadBalancingV2Client elb(ProvisionerHarness h) {
        return ElasticLoadBalancingV2Client.builder().endpointOverride(h.ec2.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
                .build();
    }

    private static Set<String> registered(ElasticLoadBalancingV2Client elb, TargetGroup group) {
        return elb.describeTargetHealth(r -> r.targetGroupArn(group.targetGroupArn())).targetHealthDescriptions()
                .stream().map(d -> d.target().id()).collect(Collectors.toSet());
    }

    private static Set<String> controllers(InfrastructureProvisioned event) {
        return event.nodes().stream().filter(n -> n.role() == NodeRole.CONTROLLER)
                .map(ProvisionedNode::instanceId).collect(Collectors.toSet());
    }

    @Test
    void aPrivateHaClusterGetsAnInternalLoadBalancerOverItsControllers(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests());
             ElasticLoadBalancingV2Client elb = elb(h)) {
            h.sendDefinition(Definitions.created(Definitions.cluster("kappa", false, 3, 2, "t3.large",
                    "1.28.3+k0s.0"), 1));
            InfrastructureProvisioned provisioned = h.await(InfrastructureProvisioned.class, e -> true);

            LoadBalancer lb = elb.describeLoadBalancers(r -> r.names("k0-kappa-api")).loadBalancers().get(0);
            assertThat(provisioned.apiAddress()).isEqualTo(lb.dnsName()).isNotBlank();
            assertThat(lb.scheme()).isEqualTo(LoadBalancerSchemeEnum.INTERNAL);
            assertThat(lb.availabilityZones()).hasSize(3);
            List<TargetGroup> groups = elb.describeTargetGroups(r -> r.loadBalancerArn(lb.loadBalancerArn()))
                    .targetGroups();
            assertThat(groups).extracting(TargetGroup::port).containsExactlyInAnyOrder(6443, 9443, 8132);
            assertThat(groups).allSatisfy(g -> assertThat(registered(elb, g)).isEqualTo(controllers(provisioned))
                    .hasSize(3));
            assertThat(elb.describeListeners(r -> r.loadBalancerArn(lb.loadBalancerArn())).listeners())
                    .extracting(l -> l.port()).containsExactlyInAnyOrder(6443, 9443, 8132);

            // Another pass over the same cluster changes nothing: the load balancer is found by its name.
            h.sendDefinition(Definitions.updated(Definitions.cluster("kappa", false, 3, 2, "t3.large",
                    "1.28.3+k0s.0"), 2));
            assertThat(h.await(InfrastructureProvisioned.class, e -> e.header().generation() == 2).apiAddress())
                    .isEqualTo(provisioned.apiAddress());
            assertThat(h.ec2.audit().count("CreateLoadBalancer")).isEqualTo(1);
            assertThat(h.ec2.audit().count("RegisterTargets")).isEqualTo(3);
        }
    }

    @Test
    void replacingControllerZeroKeepsTheAddressAndMovesTheRegistrations(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests());
             ElasticLoadBalancingV2Client elb = elb(h)) {
            h.sendDefinition(Definitions.created(Definitions.cluster("kappa", true, 1), 1));
            InfrastructureProvisioned first = h.await(InfrastructureProvisioned.class, e -> true);
            String lost = controllers(first).iterator().next();
            assertThat(elb.describeLoadBalancers(r -> r.names("k0-kappa-api")).loadBalancers().get(0).scheme())
                    .isEqualTo(LoadBalancerSchemeEnum.INTERNET_FACING);

            h.sdk.terminateInstances(r -> r.instanceIds(lost));
            h.sdk.waiter().waitUntilInstanceTerminated(r -> r.instanceIds(lost),
                    w -> w.backoffStrategyV2(software.amazon.awssdk.retries.api.BackoffStrategy.fixedDelay(
                            Duration.ofMillis(10))));
            h.app().getBean(EventPublisher.class).publish(h.app().getBean(DriftReconciler.class).reconcileAll());
            InfrastructureProvisioned repaired = h.await(InfrastructureProvisioned.class,
                    e -> !controllers(e).contains(lost));

            assertThat(repaired.apiAddress()).isEqualTo(first.apiAddress());
            TargetGroup api = elb.describeTargetGroups(r -> r.names("k0-kappa-6443")).targetGroups().get(0);
            assertThat(registered(elb, api)).isEqualTo(controllers(repaired)).doesNotContain(lost);
        }
    }

    @Test
    void deletionRemovesTheLoadBalancerAndItsGroupsBeforeTheSubnets(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests());
             ElasticLoadBalancingV2Client elb = elb(h)) {
            ClusterDefinition definition = Definitions.cluster("kappa", false, 1);
            h.sendDefinition(Definitions.created(definition, 1));
            h.await(InfrastructureProvisioned.class, e -> true);

            h.sendDefinition(Definitions.deleted(definition, 2));
            h.await(InfrastructureDestroyed.class, e -> true);

            assertThat(elb.describeLoadBalancers().loadBalancers()).isEmpty();
            assertThat(elb.describeTargetGroups().targetGroups()).isEmpty();
            assertThat(h.sdk.describeVpcs().vpcs()).isEmpty();
            assertThat(h.ec2.audit().entries()).filteredOn(e -> e.action().equals("DeleteSubnet"))
                    .allSatisfy(e -> assertThat(e.errorCode()).isNull());
        }
    }
}
