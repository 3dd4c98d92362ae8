package io.k0rdent.ops.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.k0rdent.ops.contracts.deadletter.DeadLetter;
import io.k0rdent.ops.contracts.deadletter.DeadLetterReason;
import io.k0rdent.ops.contracts.event.Channel;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.contracts.event.EventIds;
import io.k0rdent.ops.contracts.event.NotificationEvent;
import io.k0rdent.ops.contracts.event.NotificationFailed;
import io.k0rdent.ops.contracts.event.NotificationSent;
import io.k0rdent.ops.notifier.FakeHttpEndpoint;
import io.k0rdent.ops.notifier.TestEvents;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import io.k0rdent.ops.support.telemetry.MetricNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import jakarta.mail.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The whole service on the real broker, with a local Slack stand-in and GreenMail. */
@KafkaIntegrationTest
class NotifierKafkaIT {

    @RegisterExtension
    static final NotifierHarnessExtension NOTIFIER = NotifierHarnessExtension.withMail();

    @Test
    void tellsTheTeamAndTheAuthorAndAuditsBeforeCommitting(NotifierHarness harness) {
        ApplicationContext context = harness.start();
        ClusterReady ready = TestEvents.ready("dev-01");

        harness.publish(ready);

        eventually().untilAsserted(() -> assertThat(harness.committedTotal()).isEqualTo(1));
        assertThat(harness.slackTitles(NotifierHarness.TEAM_HOOK)).containsExactly("dev-01: ready");
        assertThat(harness.http.requests(NotifierHarness.TEAM_HOOK).get(0).body())
                .contains("\"type\":\"header\"", "k0ops kubeconfig dev-01",
                        "https://git.example.com/platform/clusters/commit/" + TestEvents.COMMIT);
        assertThat(NOTIFIER.mail().getReceivedMessages()).singleElement().satisfies(mail -> {
            assertThat(mail.getRecipients(Message.RecipientType.TO)[0].toString()).isEqualTo("ada@example.com");
            assertThat(mail.getMessageID()).isEqualTo("<" + ready.header().eventId() + ".commit-author@k0rdent-ops>");
        });
        List<NotificationEvent> audit = harness.audit();
        assertThat(audit).hasSize(2).allSatisfy(e -> {
            assertThat(e).isInstanceOf(NotificationSent.class);
            assertThat(((NotificationSent) e).subjectEventId()).isEqualTo(ready.header().eventId());
            assertThat(e.header().causationId()).isEqualTo(ready.header().eventId());
            assertThat(e.header().eventId()).isEqualTo(EventIds.derived(ready.header().eventId(),
                    "notified/" + ((NotificationSent) e).destination()));
        });
        assertThat(audit).extracting(e -> ((NotificationSent) e).destination())
                .containsExactlyInAnyOrder("team-slack", "commit-author");
        assertThat(audit).extracting(e -> ((NotificationSent) e).channel())
                .containsExactlyInAnyOrder(Channel.SLACK, Channel.EMAIL);
        assertThat(harness.readAll(harness.deliveries)).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(
                ready.header().eventId() + "/team-slack", ready.header().eventId() + "/commit-author");
        // Counted right after the tickets are settled, so possibly a moment after the commit.
        eventually().untilAsserted(() -> assertThat(context.getBean(MeterRegistry.class).counter(
                "k0rdent.notifier.messages", "destination", "team-slack", "channel", "slack", "outcome", "delivered")
                .count()).isEqualTo(1.0));
        MeterRegistry meters = context.getBean(MeterRegistry.class);
        eventually().untilAsserted(() -> assertThat(meters.counter(MetricNames.NOTIFICATIONS, "channel", "slack",
                "outcome", "sent").count()).isEqualTo(1.0));
        assertThat(meters.counter(MetricNames.EVENTS_CONSUMED, "service", "notifier", "topic", harness.bootstrap,
                "type", ready.type().ceType()).count()).isEqualTo(1.0);
        // Ready ends the change: dev-01 is not in flight.
        assertThat(meters.get(MetricNames.CLUSTERS_IN_FLIGHT).gauge().value()).isZero();
    }

    @Test
    void poisonGoesToTheDeadLetterTopicAndTheNextRecordIsStillDelivered(NotifierHarness harness) {
        harness.start(Map.of("k0rdent.notifier.author.enabled", false));
        harness.send(new ProducerRecord<>(harness.bootstrap, null, "dev-01",
                "not a cloud event".getBytes(StandardCharsets.UTF_8), new RecordHeaders()));
        RecordHeaders unknown = new RecordHeaders();
        unknown.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        unknown.add("ce_id", "4d1f7a0e-0000-4000-8000-000000000001".getBytes(StandardCharsets.UTF_8));
        unknown.add("ce_type", "io.k0rdent.ops.cluster.bogus.v1".getBytes(StandardCharsets.UTF_8));
        unknown.add("ce_source", "/stranger".getBytes(StandardCharsets.UTF_8));
        unknown.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        harness.send(new ProducerRecord<>(harness.bootstrap, null, "dev-01", "{}".getBytes(StandardCharsets.UTF_8),
                unknown));
        harness.publish(TestEvents.ready("dev-01"));

        eventually().untilAsserted(() -> assertThat(harness.slackTitles(NotifierHarness.TEAM_HOOK))
                .containsExactly("dev-01: ready"));
        List<ConsumerRecord<String, byte[]>> dead = harness.readAll(harness.deadLetters);
        assertThat(dead).hasSize(2);
        assertThat(dead).map(r -> DeadLetter.from(r.headers()).orElseThrow().reason())
                .containsExactly(DeadLetterReason.UNDECODABLE, DeadLetterReason.UNKNOWN_EVENT_TYPE);
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("not a cloud event");
        assertThat(DeadLetter.from(dead.get(0).headers()).orElseThrow().originalTopic()).isEqualTo(harness.bootstrap);
        eventually().untilAsserted(() -> assertThat(harness.committedTotal()).isEqualTo(3));
    }

    @Test
    void aBurstOfTwoHundredClustersFromOneCommitIsOneDigestPerDestination(NotifierHarness harness) {
        harness.start(Map.of("k0rdent.notifier.digest-window", "5s", "k0rdent.notifier.author.enabled", true));

        harness.publishAll(IntStream.range(0, 200)
                .mapToObj(i -> TestEvents.provisioned(TestEvents.header("cluster-%03d".formatted(i)))).toList());

        eventually().untilAsserted(() -> assertThat(harness.committedTotal()).isEqualTo(200));
        assertThat(harness.slackTitles(NotifierHarness.TEAM_HOOK))
                .containsExactly("200 clusters: infrastructure provisioned");
        assertThat(NOTIFIER.mail().getReceivedMessages()).hasSize(1);
        List<NotificationEvent> audit = harness.audit();
        assertThat(audit).hasSize(400).allSatisfy(e -> assertThat(((NotificationSent) e).eventsInDigest())
                .isEqualTo(200));
    }

    @Test
    void aRepeatedFailureIsToldOnceAndTheRecoverySaysWhatFailed(NotifierHarness harness) {
        harness.start(Map.of("k0rdent.notifier.author.enabled", false));
        EventHeader failed = TestEvents.header("dev-01");

        harness.publish(TestEvents.bootstrapFailed(failed));
        harness.publish(TestEvents.bootstrapFailed(TestEvents.at(TestEvents.header("dev-01"),
                TestEvents.T0.plusSeconds(60))));
        harness.publish(TestEvents.ready(TestEvents.at(TestEvents.header("dev-01"), TestEvents.T0.plusSeconds(120))));

        eventually().untilAsserted(() -> assertThat(harness.committedTotal()).isEqualTo(3));
        assertThat(harness.slackTitles(NotifierHarness.TEAM_HOOK)).containsExactlyInAnyOrder(
                "dev-01: bootstrap failed at JOIN_WORKERS",
                "dev-01: ready again after failing at bootstrap (JOIN_WORKERS)");
    }

    @Test
    void deadDestinationsDoNotBlockTheOthersAndEndInTheDeadLetterTopic(NotifierHarness harness) {
        harness.start(Map.of("k0rdent.notifier.author.enabled", false));
        ClusterEvent event = TestEvents.ready(TestEvents.header("doomed-01", Map.of("team", "doomed"), TestEvents.ADA,
                TestEvents.T0));
        // Another type, so that it is not digested together with the first.
        ClusterEvent other = TestEvents.provisioned(TestEvents.header("fine-01", Map.of("team", "engineering"),
                TestEvents.ADA, TestEvents.T0.plusSeconds(1)));

        harness.publish(event);
        harness.publish(other);

        eventually().untilAsserted(() -> assertThat(harness.slackTitles(NotifierHarness.TEAM_HOOK))
                .containsExactlyInAnyOrder("doomed-01: ready", "fine-01: infrastructure provisioned (0 nodes in us-east-1)"));
        eventually().untilAsserted(() -> assertThat(harness.committedTotal()).isEqualTo(2));
        List<NotificationFailed> failures = harness.audit().stream().filter(NotificationFailed.class::isInstance)
                .map(NotificationFailed.class::cast).toList();
        assertThat(failures).extracting(NotificationFailed::destination, NotificationFailed::permanent)
                .containsExactlyInAnyOrder(tuple("dead-slack", true),
                        tuple("flaky-hook", false));
        assertThat(failures).allSatisfy(f -> assertThat(f.reason()).doesNotContain("127.0.0.1"));
        assertThat(harness.http.requests(NotifierHarness.FLAKY_HOOK)).hasSize(3);
        assertThat(harness.readAll(harness.deadLetters)).map(r -> DeadLetter.from(r.headers()).orElseThrow().reason())
                .containsExactlyInAnyOrder(DeadLetterReason.PERMANENT_DELIVERY_FAILURE,
                        DeadLetterReason.RETRIES_EXHAUSTED);
    }

    @Test
    void webhookUrlsNeverReachLogsEventsOrDeadLetters(NotifierHarness harness) {
        LoggerContext logs = (LoggerContext) LoggerFactory.getILoggerFactory();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logs.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(captured);
        List<String> verbose = List.of("io.k0rdent", "com.slack.api", "okhttp3", "jdk.internal.httpclient");
        verbose.forEach(name -> logs.getLogger(name).setLevel(Level.DEBUG));
        try {
            harness.start(Map.of("k0rdent.notifier.author.enabled", false));
            harness.publish(TestEvents.ready(TestEvents.header("doomed-01", Map.of("team", "doomed"), TestEvents.ADA,
                    TestEvents.T0)));

            eventually().untilAsserted(() -> assertThat(harness.committedTotal()).isEqualTo(1));
        } finally {
            logs.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(captured);
            verbose.forEach(name -> logs.getLogger(name).setLevel(null));
        }
        List<String> secrets = List.of("/services/T0/B0", NotifierHarness.FLAKY_HOOK);
        assertThat(captured.list).isNotEmpty().allSatisfy(e -> assertThat(e.getFormattedMessage())
                .doesNotContain(secrets));
        List<ConsumerRecord<String, byte[]>> written = new ArrayList<>(harness.readAll(harness.notifications));
        written.addAll(harness.readAll(harness.deadLetters));
        written.addAll(harness.readAll(harness.deliveries));
        assertThat(written).hasSizeGreaterThan(3).allSatisfy(r -> {
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).doesNotContain(secrets);
            r.headers().forEach(h -> assertThat(new String(h.value(), StandardCharsets.UTF_8)).doesNotContain(secrets));
        });
    }

    @Test
    void honoursRetryAfterAndDeliversOnce(NotifierHarness harness) {
        harness.http.script(new FakeHttpEndpoint.Answer(429, "rate_limited", Map.of("Retry-After", "1")));
        harness.start(Map.of("k0rdent.notifier.author.enabled", false));

        harness.publish(TestEvents.ready("dev-01"));

        eventually().untilAsserted(() -> assertThat(harness.committedTotal()).isEqualTo(1));
        assertThat(harness.http.requests(NotifierHarness.TEAM_HOOK)).hasSize(2);
        assertThat(harness.audit()).singleElement().isInstanceOf(NotificationSent.class);
    }

    /** Generous: the machine may be busy with other builds; nothing here asserts speed. */
    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(90));
    }
}
