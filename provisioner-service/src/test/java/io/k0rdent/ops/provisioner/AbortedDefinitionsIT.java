package io.k0rdent.ops.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.provisioner.reconcile.ClusterOwnership;
import io.k0rdent.ops.provisioner.support.Definitions;
import io.k0rdent.ops.provisioner.support.ProvisionerHarness;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * The gitwatcher publishes each commit's events in one Kafka transaction. Killed before the commit, its transaction is
 * aborted, and the commit is published again once it restarts, or never, if Git moved on meanwhile (a force-push).
 * The provisioner read the definitions topic with Kafka's default {@code read_uncommitted}, so it applied the aborted
 * records too: in the long fault run every cluster's first generation was reconciled twice, and an aborted definition
 * Git no longer holds would have been provisioned.
 */
@KafkaIntegrationTest
class AbortedDefinitionsIT {

    @Test
    void aDefinitionOfAnAbortedTransactionIsNeverApplied(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests())) {
            h.sendDefinitionAborted(Definitions.created(Definitions.cluster("phantom", false, 1), 1));
            // A committed definition behind it on the same partition: once it is handled, so was the aborted one.
            String real = IntStream.range(0, 1000).mapToObj(i -> "real-" + i)
                    .filter(n -> ClusterOwnership.partitionOf(n, 3) == ClusterOwnership.partitionOf("phantom", 3))
                    .findFirst().orElseThrow();
            h.awaitHandled(h.sendDefinition(Definitions.created(Definitions.cluster(real, false, 1), 1)));
            h.await(InfrastructureProvisioned.class, e -> e.header().clusterName().equals(real));

            assertThat(h.events()).noneMatch(e -> e.header().clusterName().equals("phantom"));
            assertThat(h.sdk.describeVpcs(r -> r.filters(Filter.builder().name("tag:k0rdent.io/cluster")
                    .values("phantom").build())).vpcs()).isEmpty();
        }
    }
}
