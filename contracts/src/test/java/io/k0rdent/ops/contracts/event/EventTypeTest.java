package io.k0rdent.ops.contracts.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.topic.Topics;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventTypeTest {

    @Test
    void everyConcreteEventRecordIsRegisteredExactlyOnce() {
        Set<Class<?>> records = new HashSet<>();
        Deque<Class<?>> toVisit = new ArrayDeque<>(Arrays.asList(ClusterEvent.class.getPermittedSubclasses()));
        while (!toVisit.isEmpty()) {
            Class<?> type = toVisit.pop();
            if (type.isSealed()) {
                toVisit.addAll(Arrays.asList(type.getPermittedSubclasses()));
            } else {
                records.add(type);
            }
        }

        Set<Class<?>> registered = Arrays.stream(EventType.values()).map(EventType::javaType)
                .collect(Collectors.toSet());
        assertThat(registered).isEqualTo(records);
        assertThat(records).allMatch(Class::isRecord);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void ceTypesAreVersionedReverseDnsNames(EventType type) {
        assertThat(type.ceType()).startsWith("io.k0rdent.ops.cluster.").matches(".*\\.v[0-9]+$");
        assertThat(EventType.fromCeType(type.ceType())).contains(type);
        assertThat(SampleEvents.of(type).type()).isEqualTo(type);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyTypeGoesToAKnownTopicKeyedByCluster(EventType type) {
        assertThat(Topics.all()).contains(type.topic());
        assertThat(SampleEvents.of(type).key()).isEqualTo("dev-cluster-01");
    }

    @Test
    void familiesHaveOneTopicEach() {
        assertThat(EventType.CLUSTER_DEFINITION_CREATED.topic()).isEqualTo(Topics.DEFINITIONS);
        assertThat(EventType.CLUSTER_DEFINITION_REJECTED.topic()).isEqualTo(Topics.REJECTIONS);
        assertThat(Arrays.stream(EventType.values()).filter(t -> InfrastructureEvent.class.isAssignableFrom(t.javaType()))
                .map(EventType::topic).distinct()).containsExactly(Topics.INFRASTRUCTURE);
        assertThat(Arrays.stream(EventType.values()).filter(t -> BootstrapEvent.class.isAssignableFrom(t.javaType()))
                .map(EventType::topic).distinct()).containsExactly(Topics.BOOTSTRAP);
        assertThat(Arrays.stream(EventType.values()).filter(t -> NotificationEvent.class.isAssignableFrom(t.javaType()))
                .map(EventType::topic).distinct()).containsExactly(Topics.NOTIFICATIONS);
    }

    @Test
    void unknownCeTypeIsEmptyNotAnError() {
        assertThat(EventType.fromCeType("io.k0rdent.ops.cluster.exploded.v9")).isEmpty();
        assertThat(EventType.fromCeType(null)).isEmpty();
    }

    @Test
    void derivedIdsAreStablePerCauseAndDiscriminator() {
        EventHeader cause = SampleEvents.of(EventType.CLUSTER_DEFINITION_CREATED).header();

        EventHeader first = cause.causing("provisioned", SampleEvents.AT);
        EventHeader again = cause.causing("provisioned", SampleEvents.AT.plusSeconds(60));

        assertThat(first.eventId()).isEqualTo(again.eventId()).isNotEqualTo(cause.eventId());
        assertThat(cause.causing("failed", SampleEvents.AT).eventId()).isNotEqualTo(first.eventId());
        assertThat(first.causationId()).isEqualTo(cause.eventId());
        assertThat(first).extracting(EventHeader::clusterName, EventHeader::generation, EventHeader::gitCommit,
                        EventHeader::labels, EventHeader::initiator)
                .containsExactly(cause.clusterName(), cause.generation(), cause.gitCommit(), cause.labels(),
                        cause.initiator());
    }
}
