package io.k0rdent.ops.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k0rdent.ops.contracts.event.Channel;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.contracts.event.NotificationFailed;
import io.k0rdent.ops.contracts.event.NotificationSent;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.k0rdent.ops.notifier.TestEvents;
import io.k0rdent.ops.notifier.commitstatus.Forge;
import io.k0rdent.ops.notifier.commitstatus.ForgeStub;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The service on the real broker writing commit statuses to a GitHub, a GitLab and a Gitea stand-in, each a local
 * server that checks the forge's documented request and answers 201 like it.
 */
@KafkaIntegrationTest
class CommitStatusKafkaIT {

    private static final String TOKEN = "ghp_commit-status-test-token";

    @RegisterExtension
    static final NotifierHarnessExtension NOTIFIER = NotifierHarnessExtension.withoutMail();

    private ForgeStub github;
    private ForgeStub gitlab;
    private ForgeStub gitea;
    private Path tokenFile;

    @BeforeEach
    void setUp() throws Exception {
        // TestEvents' definitions come from https://git.example.com/platform/clusters.git
        github = new ForgeStub(Forge.GITHUB, "platform/clusters", TOKEN);
        gitlab = new ForgeStub(Forge.GITLAB, "platform/clusters", TOKEN);
        gitea = new ForgeStub(Forge.GITEA, "platform/clusters", TOKEN);
        tokenFile = Files.createTempFile("forge-token", "");
        Files.writeString(tokenFile, TOKEN + "\n");
    }

    @AfterEach
    void tearDown() throws Exception {
        github.close();
        gitlab.close();
        gitea.close();
        Files.deleteIfExists(tokenFile);
    }

    private Map<String, Object> forges() {
        Map<String, Object> p = new HashMap<>();
        p.put("k0rdent.notifier.author.enabled", false);
        addForge(p, "github-status", "github", github);
        addForge(p, "gitlab-status", "gitlab", gitlab);
        addForge(p, "gitea-status", "gitea", gitea);
        p.put("k0rdent.notifier.destinations.github-status.target-url-template", "https://k0rdent.example.com/c/{cluster}");
        // Told in addition: the rule keeps the default route (team-slack) for events no other rule matches.
        p.put("k0rdent.notifier.routes.commit-statuses.types", List.of("definition", "infrastructure", "bootstrap"));
        p.put("k0rdent.notifier.routes.commit-statuses.keep-default", true);
        p.put("k0rdent.notifier.routes.commit-statuses.destinations", List.of("github-status", "gitlab-status", "gitea-status"));
        return p;
    }

    private void addForge(Map<String, Object> p, String name, String forge, ForgeStub stub) {
        p.put("k0rdent.notifier.destinations." + name + ".type", "commit-status");
        p.put("k0rdent.notifier.destinations." + name + ".forge", forge);
        p.put("k0rdent.notifier.destinations." + name + ".api-url", stub.apiUrl());
        p.put("k0rdent.notifier.destinations." + name + ".token-file", tokenFile.toString());
        p.put("k0rdent.notifier.destinations." + name + ".min-interval", "20ms");
    }

    @Test
    void acceptedProvisionedReadyAndARejectionReachEveryForgeOnceEach(NotifierHarness harness) {
        harness.start(forges());
        EventHeader header = TestEvents.header("dev-01");
        EventHeader rejectedHeader = new EventHeader(UUID.randomUUID(), "dev-02", 0, TestEvents.COMMIT, null,
                TestEvents.T0, Map.of(), TestEvents.ADA);
        EventHeader provisioned = header.causing("provisioned", TestEvents.T0.plusSeconds(60));
        EventHeader ready = provisioned.causing("ready", TestEvents.T0.plusSeconds(120));
        List<ClusterEvent> flow = List.of(TestEvents.created(header), TestEvents.provisioned(provisioned),
                TestEvents.ready(ready), TestEvents.rejected(rejectedHeader));

        // One after the other, as the stages happen: each event is settled before the next is published.
        for (int i = 0; i < flow.size(); i++) {
            harness.publish(flow.get(i));
            long settled = i + 1;
            eventually().untilAsserted(() -> assertThat(harness.committedTotal()).isEqualTo(settled));
        }

        for (ForgeStub stub : List.of(github, gitlab, gitea)) {
            assertThat(stub.refusals()).isEmpty();
            assertThat(stub.statesOf("k0rdent/dev-01")).containsExactly("pending", "pending", "success");
            assertThat(stub.statesOf("k0rdent/dev-02"))
                    .containsExactly(stub == gitlab ? "failed" : "failure");
            assertThat(stub.accepted()).allSatisfy(s -> assertThat(s.sha()).isEqualTo(TestEvents.COMMIT));
        }
        assertThat(github.accepted()).allSatisfy(s -> assertThat(s.targetUrl()).startsWith("https://k0rdent.example.com/c/dev-0"));
        assertThat(harness.audit()).filteredOn(e -> e instanceof NotificationSent sent
                        && sent.channel() == Channel.COMMIT_STATUS)
                .hasSize(12);
        assertThat(harness.audit().toString()).doesNotContain(TOKEN);
        // The unlabelled rejection still reaches the default route although the commit-status rule matched it.
        assertThat(harness.slackTitles(NotifierHarness.TEAM_HOOK)).anyMatch(t -> t.contains("dev-02"));
    }

    @Test
    void aRateLimitedStatusIsWrittenOnceAfterTheWait(NotifierHarness harness) {
        github.script(new ForgeStub.Answer(429, "{\"message\":\"API rate limit exceeded\"}",
                Map.of("Retry-After", "1")));
        harness.start(forges());

        harness.publish(TestEvents.created(TestEvents.header("dev-01")));

        eventually().untilAsserted(() -> assertThat(harness.committedTotal()).isEqualTo(1));
        assertThat(github.requestCount()).isEqualTo(2);
        assertThat(github.statesOf("k0rdent/dev-01")).containsExactly("pending");
        assertThat(gitlab.statesOf("k0rdent/dev-01")).containsExactly("pending");
    }

    @Test
    void theSameEventPublishedTwiceWritesOneStatus(NotifierHarness harness) {
        harness.start(forges());
        var created = TestEvents.created(TestEvents.header("dev-01"));

        harness.publish(created);
        harness.publish(created);

        eventually().untilAsserted(() -> assertThat(harness.committedTotal()).isEqualTo(2));
        assertThat(gitea.accepted()).hasSize(1);
        assertThat(github.accepted()).hasSize(1);
    }

    @Test
    void aRefusedTokenEndsInTheDeadLetterTopicNamingForgeAndRepositoryAndTheTokenIsNeverLoggedOrWritten(
            NotifierHarness harness) throws Exception {
        ForgeStub strict = new ForgeStub(Forge.GITEA, "platform/clusters", "another-token");
        LoggerContext logs = (LoggerContext) LoggerFactory.getILoggerFactory();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logs.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(captured);
        List<String> verbose = List.of("io.k0rdent", "jdk.internal.httpclient");
        verbose.forEach(name -> logs.getLogger(name).setLevel(Level.DEBUG));
        try {
            Map<String, Object> p = forges();
            p.put("k0rdent.notifier.destinations.gitea-status.api-url", strict.apiUrl());
            harness.start(p);
            harness.publish(TestEvents.created(TestEvents.header("dev-01")));

            eventually().untilAsserted(() -> assertThat(harness.committedTotal()).isEqualTo(1));
        } finally {
            logs.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(captured);
            verbose.forEach(name -> logs.getLogger(name).setLevel(null));
            strict.close();
        }
        assertThat(harness.audit()).filteredOn(e -> e instanceof NotificationFailed).singleElement()
                .satisfies(e -> {
                    NotificationFailed failed = (NotificationFailed) e;
                    assertThat(failed.destination()).isEqualTo("gitea-status");
                    assertThat(failed.permanent()).isTrue();
                    assertThat(failed.reason()).contains("Gitea repository platform/clusters", "HTTP 401");
                });
        assertThat(harness.readAll(harness.deadLetters)).hasSize(1);
        assertThat(captured.list).isNotEmpty()
                .allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(TOKEN));
        List<ConsumerRecord<String, byte[]>> written = new ArrayList<>(harness.readAll(harness.notifications));
        written.addAll(harness.readAll(harness.deadLetters));
        written.addAll(harness.readAll(harness.deliveries));
        assertThat(written).hasSizeGreaterThan(3).allSatisfy(r -> {
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).doesNotContain(TOKEN);
            r.headers().forEach(h -> assertThat(new String(h.value(), StandardCharsets.UTF_8)).doesNotContain(TOKEN));
        });
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50));
    }
}
