package io.k0rdent.ops.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k0rdent.ops.contracts.event.DriftDetected;
import io.k0rdent.ops.contracts.event.DriftDetected.DriftKind;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.NodeRole;
import io.k0rdent.ops.contracts.event.ProvisionedNode;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.provisioner.drift.DriftReconciler;
import io.k0rdent.ops.provisioner.kafka.EventPublisher;
import io.k0rdent.ops.provisioner.support.Definitions;
import io.k0rdent.ops.provisioner.support.ProvisionerHarness;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.ec2.FaultRule;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** The periodic drift check: instances terminated behind the provisioner's back, and orphans. */
@KafkaIntegrationTest
class DriftIT {

    private static void driftPass(ProvisionerHarness h) {
        h.app().getBean(EventPublisher.class).publish(h.app().getBean(DriftReconciler.class).reconcileAll());
    }

    @Test
    void anInstanceTerminatedOutsideGitIsReportedAndReplaced(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests())) {
            h.sendDefinition(Definitions.created(Definitions.cluster("iota", false, 2), 1));
            InfrastructureProvisioned first = h.await(InfrastructureProvisioned.class, e -> true);
            String lost = first.nodes().stream().filter(n -> n.role() == NodeRole.WORKER && n.slot() == 1)
                    .map(ProvisionedNode::instanceId).findFirst().orElseThrow();

            driftPass(h);
            assertThat(h.find(DriftDetected.class, e -> true)).isNull();

            terminateOutsideGit(h, lost);
            driftPass(h);

            DriftDetected drift = h.await(DriftDetected.class, e -> true);
            assertThat(drift.kind()).isEqualTo(DriftKind.INSTANCE_MISSING);
            assertThat(drift.resourceId()).isEqualTo(lost);
            assertThat(drift.description()).isEqualTo("worker/1 was terminated outside Git");
            assertThat(drift.action()).isEqualTo("replaced");
            InfrastructureProvisioned repaired = h.await(InfrastructureProvisioned.class,
                    e -> e.nodes().stream().noneMatch(n -> n.instanceId().equals(lost)));
            assertThat(repaired.header().generation()).isEqualTo(1);
            assertThat(repaired.nodes()).hasSize(3).anySatisfy(n -> {
                assertThat(n.role()).isEqualTo(NodeRole.WORKER);
                assertThat(n.slot()).isEqualTo(1);
            });
            assertThat(h.ec2.audit().launchedInstanceIds()).hasSize(4);
        }
    }

    @Test
    void aRestartedProvisionerStillChecksTheClustersItWasResponsibleFor(KafkaTestContext kafka) {
        // Issue 18: the registry of clusters was filled only by events seen since start, so after a restart the drift
        // pass checked nothing.
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests())) {
            h.sendDefinition(Definitions.created(Definitions.cluster("omicron", false, 1), 1));
            InfrastructureProvisioned first = h.await(InfrastructureProvisioned.class, e -> true);
            String lost = first.nodes().get(1).instanceId();

            h.restart(null);
            terminateOutsideGit(h, lost);
            driftPass(h);

            DriftDetected drift = h.await(DriftDetected.class, e -> true);
            assertThat(drift.resourceId()).isEqualTo(lost);
            h.await(InfrastructureProvisioned.class, e -> e.nodes().stream().noneMatch(n -> n.instanceId().equals(lost)));
        }
    }

    @Test
    void slotsThatNeverHadAnInstanceAreCompletedWithoutReportingDrift(KafkaTestContext kafka) {
        // Issue 18: while a cluster was incomplete (RunInstances failed), every drift pass reported
        // "controller/0 was terminated outside Git" for nodes that never existed. Not converged yet is not drift.
        Ec2EmulatorOptions options = Ec2EmulatorOptions.forTests()
                .withFault(FaultRule.onNthCall("RunInstances", 1, "InvalidParameterValue", 400));
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, options)) {
            h.sendDefinition(Definitions.created(Definitions.cluster("lambda", false, 2), 1));
            h.await(ProvisioningFailed.class, e -> true);

            driftPass(h);

            InfrastructureProvisioned completed = h.await(InfrastructureProvisioned.class, e -> true);
            assertThat(completed.nodes()).hasSize(3);
            assertThat(h.find(DriftDetected.class, e -> true)).isNull();
        }
    }

    @Test
    void resourcesOfAClusterThatDoesNotExistAreReportedAndRemoved(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests(),
                Map.of("k0rdent.provisioner.remove-orphans", true), null)) {
            h.sendDefinition(Definitions.created(Definitions.cluster("kappa", false, 1), 1));
            h.await(InfrastructureProvisioned.class, e -> true);
            // Left behind by a cluster whose network is already gone.
            String vpc = h.sdk.createVpc(r -> r.cidrBlock("10.99.0.0/16")).vpc().vpcId();
            String subnet = h.sdk.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.99.1.0/24")).subnet().subnetId();
            String ghost = h.sdk.runInstances(r -> r.imageId("ami-0a1b2c3d4e5f60002").instanceType("t3.micro")
                    .minCount(1).maxCount(1).subnetId(subnet).tagSpecifications(TagSpecification.builder()
                            .resourceType(ResourceType.INSTANCE)
                            .tags(Tag.builder().key("k0rdent.io/cluster").value("ghost").build()).build()))
                    .instances().get(0).instanceId();

            driftPass(h);
            DriftDetected orphan = h.await(DriftDetected.class, e -> e.kind() == DriftKind.ORPHAN_RESOURCE);
            assertThat(orphan.resourceId()).isEqualTo(ghost);
            assertThat(orphan.header().clusterName()).isEqualTo("ghost");
            assertThat(orphan.action()).isEqualTo("removed");
            assertThat(h.find(DriftDetected.class, e -> e.header().clusterName().equals("kappa"))).isNull();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(h.sdk.describeInstances(
                    r -> r.instanceIds(ghost)).reservations().get(0).instances().get(0).state().nameAsString())
                    .isEqualTo("terminated"));
        }
    }

    /** What someone with console access does: terminate an instance and see it gone. */
    @Test
    void theApiEndpointChangedOutsideGitIsReportedAndRepaired(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests());
             var elb = software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client.builder()
                     .endpointOverride(h.ec2.endpoint()).region(software.amazon.awssdk.regions.Region.US_EAST_1)
                     .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                             software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test")))
                     .build()) {
            h.sendDefinition(Definitions.created(Definitions.cluster("rho", false, 1), 1));
            InfrastructureProvisioned first = h.await(InfrastructureProvisioned.class, e -> true);
            String controller = first.nodes().stream().filter(n -> n.role() == NodeRole.CONTROLLER).findFirst()
                    .orElseThrow().instanceId();
            driftPass(h);
            assertThat(h.find(DriftDetected.class, e -> true)).as("nothing changed yet").isNull();

            String group = elb.describeTargetGroups(r -> r.names("k0-rho-6443")).targetGroups().get(0)
                    .targetGroupArn();
            elb.deregisterTargets(r -> r.targetGroupArn(group).targets(t -> t.id(controller)));
            driftPass(h);

            DriftDetected drift = h.await(DriftDetected.class, e -> true);
            assertThat(drift.kind()).isEqualTo(DriftKind.API_ENDPOINT_CHANGED);
            assertThat(drift.resourceId()).isEqualTo("k0-rho-api");
            assertThat(drift.description()).contains(controller + " is not registered in k0-rho-6443");
            assertThat(drift.action()).isEqualTo("repaired");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> elb.describeTargetHealth(
                    r -> r.targetGroupArn(group)).targetHealthDescriptions().stream()
                    .anyMatch(d -> d.target().id().equals(controller) && !"draining".equals(d.targetHealth()
                            .stateAsString())));
        }
    }

    private static void terminateOutsideGit(ProvisionerHarness h, String instanceId) {
        h.sdk.terminateInstances(r -> r.instanceIds(instanceId));
        h.sdk.waiter().waitUntilInstanceTerminated(r -> r.instanceIds(instanceId),
                w -> w.backoffStrategyV2(software.amazon.awssdk.retries.api.BackoffStrategy.fixedDelay(
                        Duration.ofMillis(10))));
    }
}
