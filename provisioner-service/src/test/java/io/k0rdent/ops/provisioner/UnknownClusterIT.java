package io.k0rdent.ops.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k0rdent.ops.contracts.deadletter.DeadLetter;
import io.k0rdent.ops.contracts.deadletter.DeadLetterReason;
import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.NodesDrained;
import io.k0rdent.ops.provisioner.support.Definitions;
import io.k0rdent.ops.provisioner.support.ProvisionerHarness;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaTestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A NodesDrained about a cluster that has no infrastructure at all (found by the fault suite, deploy/faults) is
 * dead-lettered as UNPROCESSABLE, instead of being skipped without a trace, and the partition moves on.
 */
@KafkaIntegrationTest
class UnknownClusterIT {

    @Test
    void nodesDrainedForAClusterWithNoInfrastructureIsDeadLettered(KafkaTestContext kafka) {
        try (ProvisionerHarness h = new ProvisionerHarness(kafka, Ec2EmulatorOptions.forTests())) {
            h.sendBootstrap(new NodesDrained(new EventHeader(UUID.randomUUID(), "ghost", 1, "0".repeat(40), null,
                    Instant.now(), Map.of(), null), List.of("i-0000000000000dead")));

            await().atMost(Duration.ofSeconds(60)).until(() -> !h.deadLetters().isEmpty());
            DeadLetter letter = DeadLetter.from(h.deadLetters().get(0).headers()).orElseThrow();
            assertThat(letter.reason()).isEqualTo(DeadLetterReason.UNPROCESSABLE);
            assertThat(letter.message()).contains("ghost");
            assertThat(h.ec2.audit().count("TerminateInstances")).isZero();

            // Nothing waits behind it.
            h.sendDefinition(Definitions.created(Definitions.cluster("ghost", false, 1), 1));
            assertThat(h.await(InfrastructureProvisioned.class, e -> e.header().generation() == 1).nodes()).hasSize(2);
        }
    }
}
