package io.k0rdent.ops.contracts.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void namesAreUniqueAndFindable() {
        assertThat(Topics.all().stream().map(Topic::name).collect(Collectors.toSet())).hasSize(Topics.all().size());
        Topics.all().forEach(t -> assertThat(Topics.byName(t.name())).contains(t));
        assertThat(Topics.byName("nope")).isEmpty();
    }

    @Test
    void stateTopicsAreCompactedAndEventTopicsExpire() {
        assertThat(Topics.GITWATCHER_STATE.configs()).containsEntry("cleanup.policy", "compact");
        assertThat(Topics.NOTIFIER_DELIVERIES.configs()).containsEntry("cleanup.policy", "compact");
        assertThat(Topics.DEFINITIONS.configs()).containsEntry("cleanup.policy", "delete")
                .containsEntry("retention.ms", "2592000000");
    }

    @Test
    void theControlAuditIsKeptForever() {
        // Suspensions are rebuilt from this topic at start: a time limit would silently resume a cluster.
        assertThat(Topics.CONTROL.configs()).containsEntry("cleanup.policy", "delete")
                .containsEntry("retention.ms", "-1");
    }

    @Test
    void everyConsumingServiceHasADeadLetterTopic() {
        assertThat(Topics.deadLetters()).extracting(Topic::name)
                .containsExactly("k0rdent.dlq.provisioner", "k0rdent.dlq.bootstrap", "k0rdent.dlq.notifier");
    }
}
