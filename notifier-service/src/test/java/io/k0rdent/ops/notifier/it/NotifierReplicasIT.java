package io.k0rdent.ops.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.NotificationSent;
import io.k0rdent.ops.notifier.FakeHttpEndpoint;
import io.k0rdent.ops.notifier.NotificationService;
import io.k0rdent.ops.notifier.TestEvents;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two notifier replicas in one consumer group (issue 18, item 7). When a second replica joins, partitions move while
 * their events wait in the first replica's digest window; the first must hand them over (not send them), and the new
 * owner tells them: exactly one message per (event, destination) across both.
 */
@KafkaIntegrationTest
class NotifierReplicasIT {

    @RegisterExtension
    static final NotifierHarnessExtension NOTIFIER = NotifierHarnessExtension.withMail();

    @Test
    void eventsWaitingInADigestWindowWhenTheirPartitionMovesAreToldOnceByTheNewOwner(NotifierHarness harness) {
        // Long enough that the second replica has surely joined while the first one's window is still open.
        Map<String, Object> settings = Map.of("k0rdent.notifier.digest-window", "6s", "k0rdent.notifier.author.enabled", false);
        ApplicationContext first = harness.start(settings);
        List<ClusterEvent> events = IntStream.range(0, 12)
                .<ClusterEvent>mapToObj(i -> TestEvents.provisioned(TestEvents.header("c-" + i))).toList();
        List<UUID> ids = events.stream().map(e -> e.header().eventId()).toList();
        harness.publishAll(events);
        eventually().until(() -> first.getBean(NotificationService.class).buffered() == events.size());

        ApplicationContext second = harness.start(settings);

        eventually().untilAsserted(() -> assertThat(harness.committedTotal()).isEqualTo(events.size()));
        assertThat(second.getBean(NotificationService.class).buffered()).isZero();
        assertThat(harness.audit()).allSatisfy(e -> assertThat(e).isInstanceOf(NotificationSent.class))
                .extracting(e -> ((NotificationSent) e).subjectEventId())
                .containsExactlyInAnyOrderElementsOf(ids);
        List<String> told = harness.slackTitles(NotifierHarness.TEAM_HOOK);
        int clustersTold = told.stream().mapToInt(NotifierReplicasIT::clusters).sum();
        assertThat(clustersTold).as("clusters told in %s", told).isEqualTo(events.size());
    }

    @Test
    void eventsQueuedAtAThrottledDestinationWhenTheirPartitionMovesAreToldOnceByTheNewOwner(NotifierHarness harness) {
        // The fault suite's long run with replicas (run 22) found events told twice: Slack answered 429, so the
        // first replica's worker still held them, queued, when the hand-over's wait ended; the new owner told them,
        // and so did the first replica once Slack took messages again.
        harness.http.always(NotifierHarness.TEAM_HOOK,
                new FakeHttpEndpoint.Answer(429, "rate_limited", Map.of("Retry-After", "1")));
        Map<String, Object> settings = Map.of("k0rdent.notifier.author.enabled", false,
                "k0rdent.notifier.retry.max-attempts", 1000, "k0rdent.notifier.kafka.hand-over-timeout", "3s");
        ApplicationContext first = harness.start(settings);
        List<ClusterEvent> events = IntStream.range(0, 12)
                .<ClusterEvent>mapToObj(i -> TestEvents.provisioned(TestEvents.header("q-" + i))).toList();
        List<UUID> ids = events.stream().map(e -> e.header().eventId()).toList();
        harness.publishAll(events);
        eventually().until(() -> first.getBean(NotificationService.class).inFlight() == events.size());

        ApplicationContext second = harness.start(settings);
        eventually().until(() -> second.getBean(NotificationService.class).inFlight() > 0);
        harness.http.answerNormally(NotifierHarness.TEAM_HOOK);

        eventually().untilAsserted(() -> assertThat(harness.committedTotal()).isEqualTo(events.size()));
        // Each event told once, and still once after the first replica's next attempt would have come.
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(harness.audit()).allSatisfy(e -> assertThat(e).isInstanceOf(NotificationSent.class))
                        .extracting(e -> ((NotificationSent) e).subjectEventId())
                        .containsExactlyInAnyOrderElementsOf(ids));
    }

    /** "c-3: infrastructure provisioned (...)" tells one cluster, "5 clusters: infrastructure provisioned" five. */
    private static int clusters(String title) {
        return title.matches("\\d+ clusters: .*") ? Integer.parseInt(title.substring(0, title.indexOf(' '))) : 1;
    }

    /** Generous: the machine may be busy with other builds; nothing here asserts speed. */
    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(90));
    }
}
