package io.k0rdent.ops.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.contracts.event.NotificationSent;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.contracts.serde.EventJson;
import io.k0rdent.ops.notifier.NotificationService;
import io.k0rdent.ops.notifier.TestEvents;
import io.k0rdent.ops.notifier.dedupe.LedgerEntry;
import io.k0rdent.ops.notifier.delivery.DeliveryHooks;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.micronaut.context.ApplicationContext;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exactly one message per event and destination across restarts: the service is stopped after the send was
 * recorded but before the offset was committed, and a new instance in the same consumer group sends nothing.
 */
@KafkaIntegrationTest
class NotifierRestartIT {

    @RegisterExtension
    static final NotifierHarnessExtension NOTIFIER = NotifierHarnessExtension.withMail();

    @Test
    void restartAfterSendBeforeOffsetCommitSendsNoSecondMessage(NotifierHarness harness) {
        ApplicationContext first = harness.start(Map.of("test.crash-before-commit", true));
        RestartHooks hooks = (RestartHooks) first.getBean(DeliveryHooks.class);

        harness.publish(TestEvents.ready("dev-01"));
        eventually().untilAsserted(() -> assertThat(hooks.recorded).hasValue(2)); // team-slack + commit-author
        harness.stop(first);

        assertThat(harness.committedTotal()).isZero();
        assertThat(harness.http.requests(NotifierHarness.TEAM_HOOK)).hasSize(1);

        harness.start();

        eventually().untilAsserted(() -> assertThat(harness.committedTotal()).isEqualTo(1));
        assertThat(harness.http.requests(NotifierHarness.TEAM_HOOK)).hasSize(1);
        assertThat(NOTIFIER.mail().getReceivedMessages()).hasSize(1);
        assertThat(harness.audit()).hasSize(2).allMatch(NotificationSent.class::isInstance);
    }

    @Test
    void anotherInstanceTakesOverAfterACrashAndSendsNothingTwice(NotifierHarness harness) throws Exception {
        Map<String, Object> crashing = Map.of("test.crash-before-commit", true, "k0rdent.notifier.author.enabled", false);
        ApplicationContext a = harness.start(crashing);
        ApplicationContext b = harness.start(crashing);
        eventually().until(() -> {
            var group = harness.kafka.admin().describeConsumerGroups(List.of(harness.groupId)).all().get()
                    .get(harness.groupId);
            return group.state() == ConsumerGroupState.STABLE && group.members().size() == 2
                    && group.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
        });
        ClusterReady ready = TestEvents.ready("dev-01");
        Headers headers = new RecordHeaders();
        byte[] value = new ClusterEventCodec(URI.create("/test")).encode(harness.bootstrap, headers, ready);
        harness.send(new ProducerRecord<>(harness.bootstrap, 0, ready.key(), value, headers));

        RestartHooks hooksA = (RestartHooks) a.getBean(DeliveryHooks.class);
        RestartHooks hooksB = (RestartHooks) b.getBean(DeliveryHooks.class);
        eventually().until(() -> hooksA.recorded.get() + hooksB.recorded.get() == 1);
        boolean aDelivered = hooksA.recorded.get() == 1;
        harness.stop(aDelivered ? a : b); // "crashes" after recording, before committing
        RestartHooks survivor = aDelivered ? hooksB : hooksA;

        // The survivor is given the partition, catches up with the ledger, and settles the record without a send.
        eventually().untilAsserted(() -> assertThat(survivor.offered.get(new TopicPartition(harness.bootstrap, 0)))
                .isEqualTo(1L));
        assertThat(harness.http.requests(NotifierHarness.TEAM_HOOK)).hasSize(1);
        assertThat(survivor.recorded).hasValue(0);
    }

    @Test
    void deliveryRecordsOlderThanTheRetentionAreTombstonedOnStart(NotifierHarness harness) throws Exception {
        UUID old = UUID.randomUUID();
        Instant longAgo = Instant.now().minus(Duration.ofDays(40));
        LedgerEntry entry = new LedgerEntry(old, "team-slack", LedgerEntry.Status.DELIVERED, "dev-01",
                "io.k0rdent.ops.cluster.bootstrap.ready.v1", null, longAgo, longAgo, 1, 1);
        harness.send(new ProducerRecord<>(harness.deliveries, null, entry.key(),
                EventJson.newMapper().writeValueAsBytes(entry), new RecordHeaders()));

        harness.start();

        eventually().untilAsserted(() -> assertThat(harness.readAll(harness.deliveries))
                .filteredOn(r -> r.key().equals(entry.key())).extracting(ConsumerRecord::value).containsNull());
    }

    @Test
    void restartWhileEventsWaitInADigestWindowLosesNothing(NotifierHarness harness) {
        ApplicationContext first = harness.start(Map.of("k0rdent.notifier.digest-window", "1h",
                "k0rdent.notifier.author.enabled", false));
        harness.publishAll(IntStream.range(0, 5).mapToObj(i -> TestEvents.provisioned(TestEvents.header("c-" + i)))
                .toList());
        eventually().untilAsserted(() -> assertThat(first.getBean(NotificationService.class)
                .buffered()).isEqualTo(5));
        harness.stop(first);

        assertThat(harness.committedTotal()).isZero();
        assertThat(harness.http.requests()).isEmpty();

        // A window long enough that the five redelivered events surely meet in it again.
        harness.start(Map.of("k0rdent.notifier.author.enabled", false, "k0rdent.notifier.digest-window", "2s"));

        eventually().untilAsserted(() -> assertThat(harness.committedTotal()).isEqualTo(5));
        assertThat(harness.slackTitles(NotifierHarness.TEAM_HOOK))
                .containsExactly("5 clusters: infrastructure provisioned");
    }

    /**
     * Issue 18 item 6: a force-push rollback re-creates cluster c at the commit of its first creation (same commit,
     * file, cluster and content; generation 3, new event ids). All eight events arrive as one backlog, so both
     * rounds meet in one digest window: each change is still told on its own, to Slack and to the author. Then the
     * service restarts and the same records come again (same event ids): nothing is told twice.
     */
    @Test
    void aForcePushRollbackIsToldAgainAndRedeliveredRecordsTellNothing(NotifierHarness harness) {
        ApplicationContext first = harness.start(Map.of("k0rdent.notifier.digest-window", "2s"));
        List<ClusterEvent> rollback = TestEvents.forcePushRollback();
        List<UUID> ids = rollback.stream().map(e -> e.header().eventId()).toList();
        assertThat(ids).doesNotHaveDuplicates();

        harness.publishAll(rollback);

        eventually().untilAsserted(() -> assertThat(harness.committedTotal()).isEqualTo(8));
        List<String> titles = List.of(
                "c: definition accepted, cluster will be created", "c: infrastructure provisioned (0 nodes in us-east-1)",
                "c: ready", "c: definition deleted, infrastructure will be destroyed", "c: infrastructure destroyed",
                "c: definition accepted, cluster will be created", "c: infrastructure provisioned (0 nodes in us-east-1)",
                "c: ready");
        assertThat(harness.slackTitles(NotifierHarness.TEAM_HOOK)).containsExactlyInAnyOrderElementsOf(titles);
        assertThat(NOTIFIER.mail().getReceivedMessages()).extracting(m -> m.getMessageID())
                .containsExactlyInAnyOrderElementsOf(ids.stream().map(id -> "<" + id + ".commit-author@k0rdent-ops>")
                        .toList());
        assertThat(harness.audit()).hasSize(16).allSatisfy(e -> assertThat(e).isInstanceOf(NotificationSent.class))
                .extracting(e -> ((NotificationSent) e).subjectEventId())
                .containsExactlyInAnyOrderElementsOf(ids.stream().flatMap(id -> Stream.of(id, id)).toList());
        harness.stop(first);

        // A consumer that crashed before committing, or a producer that published again: the same records.
        harness.start(Map.of("k0rdent.notifier.digest-window", "2s"));
        harness.publishAll(rollback);

        eventually().untilAsserted(() -> assertThat(harness.committedTotal()).isEqualTo(16));
        assertThat(harness.slackTitles(NotifierHarness.TEAM_HOOK)).hasSize(8);
        assertThat(NOTIFIER.mail().getReceivedMessages()).hasSize(8);
        assertThat(harness.audit()).hasSize(16);
    }

    /** Generous: the machine may be busy with other builds; nothing here asserts speed. */
    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(90));
    }
}
