package io.k0rdent.ops.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.event.InfrastructureDestroyed;
import io.k0rdent.ops.contracts.event.InfrastructureEvent;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import io.k0rdent.ops.provisioner.drift.DriftReconciler;
import io.k0rdent.ops.provisioner.kafka.EventPublisher;
import io.k0rdent.ops.provisioner.support.ClusterShape;
import io.k0rdent.ops.provisioner.support.Definitions;
import io.k0rdent.ops.provisioner.support.ProvisionerHarness;
import io.k0rdent.ops.sandbox.ec2.AuditEntry;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.ec2.FaultRule;
import io.k0rdent.ops.sandbox.ec2.ServiceQuotas;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * Issue 18: a crash or an API failure between any two calls converges on the next pass. A clean create (and delete)
 * is run once and its EC2 and ELBv2 calls that change something are listed from the emulator's audit log; then, for
 * every position in that list, a new cluster is created (deleted) with that one call failing, and the next pass,
 * without faults, must end in exactly the clean run's shape (for a delete: nothing left). Each position runs twice:
 * the call failing before its effect (an API error), and after it (the answer lost, as when the process dies right
 * after the call).
 */
@KafkaIntegrationTest
class ConvergenceAtEveryCallIT {

    private static final Map<String, Object> NO_AUTOMATIC_RETRIES = Map.of(
            "k0rdent.provisioner.failure-retry.enabled", false);

    /** A call and which of its kind it was in the clean run (1-based), e.g. {@code AssociateRouteTable #2}. */
    private record Position(String action, int nth) {
        @Override
        public String toString() {
            return action + " #" + nth;
        }
    }

    @ParameterizedTest(name = "public: {0}, failing after the effect: {1}")
    @CsvSource({"true, false", "true, true", "false, false", "false, true"})
    void aCreateFailingAtAnyCallEndsInTheCleanShapeOnTheNextPass(boolean publicIp, boolean afterEffect,
                                                                 KafkaTestContext kafka) {
        try (ProvisionerHarness h = harness(kafka); ElasticLoadBalancingV2Client elb = elb(h)) {
            int start = h.ec2.audit().size();
            h.sendDefinition(Definitions.created(cluster("clean", publicIp), 1));
            awaitFor(h, InfrastructureProvisioned.class, "clean", e -> true);
            List<Position> positions = positions(h.ec2.audit().entries().subList(start, h.ec2.audit().size()));
            List<String> clean = ClusterShape.of(h.sdk, elb, "clean");
            assertThat(positions).extracting(Position::action).contains("CreateVpc", "CreateRoute",
                    "AssociateRouteTable", "AuthorizeSecurityGroupIngress", "RunInstances", "CreateLoadBalancer",
                    "RegisterTargets");

            List<String> failures = new ArrayList<>();
            for (int i = 0; i < positions.size(); i++) {
                Position position = positions.get(i);
                String name = "c" + i;
                inject(h, position, afterEffect);
                h.sendDefinition(Definitions.created(cluster(name, publicIp), 1));
                awaitFor(h, InfrastructureEvent.class, name, e -> e instanceof ProvisioningFailed
                        || e instanceof InfrastructureProvisioned);

                h.sendDefinition(Definitions.updated(cluster(name, publicIp), 2));
                awaitFor(h, InfrastructureProvisioned.class, name, e -> e.header().generation() == 2);
                List<String> shape = ClusterShape.of(h.sdk, elb, name);
                if (!shape.equals(clean)) {
                    failures.add(position + ": " + difference(clean, shape));
                }
            }
            assertThat(failures).as("positions out of %s whose next pass did not end like the clean run",
                    positions).isEmpty();
        }
    }

    @ParameterizedTest(name = "failing after the effect: {0}")
    @ValueSource(booleans = {false, true})
    void aDeleteFailingAtAnyCallLeavesNothingAfterTheNextPass(boolean afterEffect, KafkaTestContext kafka) {
        try (ProvisionerHarness h = harness(kafka); ElasticLoadBalancingV2Client elb = elb(h)) {
            h.sendDefinition(Definitions.created(cluster("clean"), 1));
            awaitFor(h, InfrastructureProvisioned.class, "clean", e -> true);
            int start = h.ec2.audit().size();
            h.sendDefinition(Definitions.deleted(cluster("clean"), 2));
            awaitFor(h, InfrastructureDestroyed.class, "clean", e -> true);
            List<Position> positions = positions(h.ec2.audit().entries().subList(start, h.ec2.audit().size()));
            assertThat(positions).extracting(Position::action).contains("DeleteLoadBalancer", "TerminateInstances",
                    "DeleteSecurityGroup", "DisassociateRouteTable", "DeleteSubnet", "DetachInternetGateway",
                    "DeleteVpc");

            List<String> failures = new ArrayList<>();
            for (int i = 0; i < positions.size(); i++) {
                Position position = positions.get(i);
                String name = "d" + i;
                h.sendDefinition(Definitions.created(cluster(name), 1));
                awaitFor(h, InfrastructureProvisioned.class, name, e -> true);
                inject(h, position, afterEffect);
                h.sendDefinition(Definitions.deleted(cluster(name), 2));
                InfrastructureEvent first = awaitFor(h, InfrastructureEvent.class, name,
                        e -> e instanceof ProvisioningFailed || e instanceof InfrastructureDestroyed);

                // The next pass: the drift pass resumes a deletion that stopped. A pass may itself stop at a
                // retryable answer that only time clears (an instance still shutting down holds its interface), so a
                // few passes are allowed; each must move on, and the end must be nothing left.
                InfrastructureDestroyed destroyed = first instanceof InfrastructureDestroyed d ? d : null;
                for (int pass = 0; destroyed == null && pass < 5; pass++) {
                    h.app().getBean(EventPublisher.class).publish(h.app().getBean(DriftReconciler.class)
                            .reconcileAll());
                    destroyed = destroyedWithin(h, name, Duration.ofSeconds(10));
                }
                if (destroyed == null) {
                    failures.add(position + ": no InfrastructureDestroyed after 5 passes");
                    continue;
                }
                List<String> left = ClusterShape.of(h.sdk, elb, name);
                if (!left.isEmpty()) {
                    failures.add(position + ": left " + left);
                }
            }
            assertThat(failures).as("positions out of %s whose next pass left something", positions).isEmpty();
        }
    }

    private static InfrastructureDestroyed destroyedWithin(ProvisionerHarness h, String cluster, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        InfrastructureDestroyed found = h.find(InfrastructureDestroyed.class,
                e -> e.header().clusterName().equals(cluster));
        while (found == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            found = h.find(InfrastructureDestroyed.class, e -> e.header().clusterName().equals(cluster));
        }
        return found;
    }

    private static ProvisionerHarness harness(KafkaTestContext kafka) {
        return new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests().withQuotas(ServiceQuotas.forClusters(100)),
                NO_AUTOMATIC_RETRIES, null);
    }

    private static ElasticLoadBalancingV2Client elb(ProvisionerHarness h) {
        return ElasticLoadBalancingV2Client.builder().endpointOverride(h.ec2.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    private static ClusterDefinition cluster(String name) {
        return cluster(name, true);
    }

    private static ClusterDefinition cluster(String name, boolean publicIp) {
        return Definitions.cluster(name, publicIp, 1);
    }

    /** The calls that change something, each with its number among the calls of its kind. */
    private static List<Position> positions(List<AuditEntry> calls) {
        Map<String, Integer> seen = new HashMap<>();
        List<Position> positions = new ArrayList<>();
        for (AuditEntry call : calls) {
            if (call.action().startsWith("Describe") || !call.succeeded()) {
                continue;
            }
            positions.add(new Position(call.action(), seen.merge(call.action(), 1, Integer::sum)));
        }
        return positions;
    }

    /** Fails the position's call of the next run: its kind's calls so far, plus its number in the clean run. */
    private static void inject(ProvisionerHarness h, Position position, boolean afterEffect) {
        FaultRule rule = FaultRule.onNthCall(position.action(),
                (int) h.ec2.audit().count(position.action()) + position.nth(), "InvalidParameterValue", 400);
        h.ec2.faults().addFault(afterEffect ? rule.withEffectApplied() : rule);
    }

    private static <T extends InfrastructureEvent> T awaitFor(ProvisionerHarness h, Class<T> type, String cluster,
                                                              Predicate<T> condition) {
        return h.await(type, e -> e.header().clusterName().equals(cluster) && condition.test(e));
    }

    private static String difference(List<String> expected, List<String> actual) {
        List<String> missing = new ArrayList<>(expected);
        missing.removeAll(actual);
        List<String> extra = new ArrayList<>(actual);
        extra.removeAll(expected);
        return "missing " + missing + ", extra " + extra;
    }
}
