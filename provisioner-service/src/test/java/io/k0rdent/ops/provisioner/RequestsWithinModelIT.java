package io.k0rdent.ops.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.event.InfrastructureDestroyed;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.NodeRole;
import io.k0rdent.ops.contracts.event.NodesDrained;
import io.k0rdent.ops.contracts.event.NodesRetirementRequested;
import io.k0rdent.ops.contracts.event.ProvisionedNode;
import io.k0rdent.ops.provisioner.reconcile.ClientTokens;
import io.k0rdent.ops.provisioner.support.Definitions;
import io.k0rdent.ops.provisioner.support.ProvisionerHarness;
import io.k0rdent.ops.sandbox.ec2.ApiStrictness;
import io.k0rdent.ops.sandbox.ec2.AuditEntry;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every EC2 request the provisioner sends on the paths of a cluster's life — create, scale out and in, worker type
 * change, delete, for a public and a private cluster — is inside AWS's published model (the emulator checks each one
 * against {@code aws-model/ec2-2016-11-15.json} and refuses the rest as EC2 does), and each resource the provisioner
 * just created may be unknown for a while (EC2's eventual consistency) without the cluster failing.
 */
@KafkaIntegrationTest
class RequestsWithinModelIT {

    /** EC2's answers to a request outside its model, and ELBv2's ({@code ValidationError}). */
    private static final Set<String> MODEL_ERRORS = Set.of("InvalidParameterValue", "MissingParameter",
            "UnknownParameter", "InvalidAction", "ValidationError");

    @Test
    void aClustersWholeLifeStaysInsideTheModel(KafkaTestContext kafka) {
        Ec2EmulatorOptions strict = Ec2EmulatorOptions.forTests()
                .withStrictness(ApiStrictness.modelOnly().withConsistencyWindow(Duration.ofMillis(300)));
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, strict)) {
            // Issue 14's shapes: a 1-controller public cluster and a 3-controller private one.
            for (boolean publicIp : List.of(true, false)) {
                String name = publicIp ? "pub" : "priv";
                int c = publicIp ? 1 : 3;
                h.sendDefinition(Definitions.created(cluster(name, publicIp, c, 2, "t3.large"), 1));
                h.await(InfrastructureProvisioned.class, e -> is(e, name, 1));

                h.sendDefinition(Definitions.updated(cluster(name, publicIp, c, 3, "t3.large"), 2));
                h.await(InfrastructureProvisioned.class, e -> is(e, name, 2));

                h.sendDefinition(Definitions.updated(cluster(name, publicIp, c, 1, "t3.large"), 3));
                h.sendBootstrap(drained(h.await(NodesRetirementRequested.class, e -> is(e, name, 3))));

                h.sendDefinition(Definitions.updated(cluster(name, publicIp, c, 1, "m5.large"), 4));
                h.sendBootstrap(drained(h.await(NodesRetirementRequested.class, e -> is(e, name, 4))));

                h.sendDefinition(Definitions.deleted(cluster(name, publicIp, c, 1, "m5.large"), 5));
                h.await(InfrastructureDestroyed.class, e -> is(e, name, 5));
            }

            List<AuditEntry> outsideTheModel = h.ec2.audit().entries().stream()
                    .filter(e -> e.errorCode() != null && MODEL_ERRORS.contains(e.errorCode())).toList();
            assertThat(outsideTheModel).as("requests EC2 or ELBv2 would refuse as outside their models").isEmpty();
            assertThat(h.ec2.audit().entries()).extracting(AuditEntry::action).as("both APIs were exercised")
                    .contains("CreateNatGateway", "CreateLoadBalancer", "CreateTargetGroup", "CreateListener",
                            "RegisterTargets", "DeleteLoadBalancer", "DeleteTargetGroup");
            assertThat(h.ec2.audit().entries()).as("the consistency window was exercised")
                    .anyMatch(e -> e.errorCode() != null && e.errorCode().endsWith(".NotFound"));
        }
    }

    @Test
    void aClientTokenAlreadyBoundToOtherParametersMovesToTheNextToken(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests())) {
            h.sendDefinition(Definitions.created(cluster("tok", false, 1, 1, "t3.large"), 1));
            InfrastructureProvisioned first = h.await(InfrastructureProvisioned.class, e -> is(e, "tok", 1));
            ProvisionedNode worker = first.nodes().get(1);
            String subnetId = h.sdk.describeInstances(r -> r.instanceIds(worker.instanceId())).reservations().get(0)
                    .instances().get(0).subnetId();
            // Someone (an earlier process with other settings) used the token generation 2 will use for worker/1.
            String token = ClientTokens.of("tok", 2, NodeRole.WORKER, 1, 0);
            String foreign = h.sdk.runInstances(r -> r.imageId("ami-0a1b2c3d4e5f60002").instanceType("m5.large")
                    .minCount(1).maxCount(1).clientToken(token).subnetId(subnetId)).instances().get(0).instanceId();

            h.sendDefinition(Definitions.updated(cluster("tok", false, 1, 2, "t3.large"), 2));
            InfrastructureProvisioned second = h.await(InfrastructureProvisioned.class, e -> is(e, "tok", 2));

            assertThat(second.nodes()).hasSize(3);
            assertThat(second.nodes()).extracting(ProvisionedNode::instanceId).doesNotContain(foreign);
            assertThat(h.ec2.audit().entries("RunInstances")).extracting(AuditEntry::errorCode)
                    .contains("IdempotentParameterMismatch");
        }
    }

    private static ClusterDefinition cluster(String name, boolean publicIp, int controllers, int workers,
                                             String workerType) {
        return Definitions.cluster(name, publicIp, controllers, workers, workerType, "1.28.3+k0s.0");
    }

    private static boolean is(io.k0rdent.ops.contracts.event.ClusterEvent event, String cluster, long generation) {
        return event.header().clusterName().equals(cluster) && event.header().generation() == generation;
    }

    private static NodesDrained drained(NodesRetirementRequested request) {
        return new NodesDrained(request.header().causing("drained", Instant.now()),
                request.nodes().stream().map(ProvisionedNode::instanceId).toList());
    }
}
