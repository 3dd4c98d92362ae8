package io.k0rdent.ops.notifier.commitstatus;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.event.Channel;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.EventHeader;
import io.k0rdent.ops.notifier.TestEvents;
import io.k0rdent.ops.notifier.delivery.Delivery;
import io.k0rdent.ops.notifier.delivery.SendOutcome;
import io.k0rdent.ops.notifier.digest.PendingNotification;
import io.k0rdent.ops.notifier.message.MessageContent;
import io.k0rdent.ops.notifier.message.Notice;
import io.k0rdent.ops.notifier.message.OutgoingMessage;
import io.k0rdent.ops.notifier.routing.Route;
import io.k0rdent.ops.notifier.routing.Severity;
import io.k0rdent.ops.contracts.validation.Rule;
import io.k0rdent.ops.contracts.validation.ValidationProblem;
import io.k0rdent.ops.contracts.event.ClusterDefinitionRejected;
import io.k0rdent.ops.contracts.event.GitSource;
import io.k0rdent.ops.support.Secret;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each forge's adapter against a local server that answers like the forge and checks what it documents. */
class CommitStatusNotifierIT {

    private static final String TOKEN = "forge-token-3c1f";
    private final HttpClient http = HttpClient.newHttpClient();
    private ForgeStub stub;

    @AfterEach
    void close() {
        if (stub != null) {
            stub.close();
        }
    }

    private CommitStatusNotifier notifier(Forge forge, String repositoryPath, String defaultRepository,
                                          String targetTemplate) throws Exception {
        stub = new ForgeStub(forge, repositoryPath, TOKEN);
        return new CommitStatusNotifier(http, new CommitStatusSettings(forge, stub.apiUrl(), null, defaultRepository,
                "k0rdent/", targetTemplate), Secret.of(TOKEN), Duration.ofSeconds(5), Clock.systemUTC());
    }

    static Delivery delivery(ClusterEvent event) {
        MessageContent content = new MessageContent("t", Severity.INFO, List.of(), List.of(), 1, 0);
        OutgoingMessage message = new OutgoingMessage(event.header().eventId(), "forge", null, content, List.of());
        return new Delivery(Channel.COMMIT_STATUS, message, List.of(new PendingNotification(new Notice(event, null),
                new Route("forge", null, "test"), null, () -> { })));
    }

    @Test
    void gitHubGetsPendingThenSuccessWithContextDescriptionAndTargetUrl() throws Exception {
        CommitStatusNotifier notifier = notifier(Forge.GITHUB, "platform/clusters", null,
                "https://k0rdent.example.com/clusters/{cluster}?commit={commit}");
        EventHeader header = TestEvents.header("dev-01");

        assertThat(notifier.send(delivery(TestEvents.created(header)))).isInstanceOf(SendOutcome.Delivered.class);
        assertThat(notifier.send(delivery(TestEvents.provisioned(header)))).isInstanceOf(SendOutcome.Delivered.class);
        assertThat(notifier.send(delivery(TestEvents.ready(header)))).isInstanceOf(SendOutcome.Delivered.class);

        assertThat(stub.refusals()).isEmpty();
        assertThat(stub.statesOf("k0rdent/dev-01")).containsExactly("pending", "pending", "success");
        ForgeStub.Status ready = stub.accepted().get(2);
        assertThat(ready.repository()).isEqualTo("platform/clusters");
        assertThat(ready.sha()).isEqualTo(TestEvents.COMMIT);
        assertThat(ready.description()).startsWith("Cluster Ready");
        assertThat(ready.targetUrl())
                .isEqualTo("https://k0rdent.example.com/clusters/dev-01?commit=" + TestEvents.COMMIT);
    }

    @Test
    void gitLabGetsTheEncodedProjectPathAndFailedForAFailure() throws Exception {
        CommitStatusNotifier notifier = notifier(Forge.GITLAB, "platform/infra/clusters",
                "git@gitlab.example.com:platform/infra/clusters.git", null);
        EventHeader header = TestEvents.header("dev-01");

        // Infrastructure events name no repository: the configured one is used.
        assertThat(notifier.send(delivery(TestEvents.provisioned(header)))).isInstanceOf(SendOutcome.Delivered.class);
        assertThat(notifier.send(delivery(TestEvents.bootstrapFailed(header))))
                .isInstanceOf(SendOutcome.Delivered.class);

        assertThat(stub.refusals()).isEmpty();
        assertThat(stub.statesOf("k0rdent/dev-01")).containsExactly("pending", "failed");
        assertThat(stub.accepted().get(1).targetUrl()).isNull();
    }

    @Test
    void giteaGetsFailureForARejectionOfAFileWithoutAName() throws Exception {
        CommitStatusNotifier notifier = notifier(Forge.GITEA, "platform/clusters", null, null);
        var header = new EventHeader(java.util.UUID.randomUUID(), "clusters/broken.yaml", 0, TestEvents.COMMIT,
                null, TestEvents.T0, Map.of(), null);

        assertThat(notifier.send(delivery(TestEvents.rejected(header)))).isInstanceOf(SendOutcome.Delivered.class);

        assertThat(stub.refusals()).isEmpty();
        assertThat(stub.statesOf("k0rdent/clusters/broken.yaml")).containsExactly("failure");
    }

    @Test
    void theRepositoryOfTheDefinitionEventIsRememberedForTheClustersLaterEvents() throws Exception {
        // TestEvents.git() names https://git.example.com/platform/clusters.git; no default is configured.
        CommitStatusNotifier notifier = notifier(Forge.GITEA, "platform/clusters", null, null);
        EventHeader header = TestEvents.header("dev-02");

        notifier.send(delivery(TestEvents.created(header)));
        assertThat(notifier.send(delivery(TestEvents.ready(header)))).isInstanceOf(SendOutcome.Delivered.class);

        assertThat(stub.statesOf("k0rdent/dev-02")).containsExactly("pending", "success");
    }

    @Test
    void theDestinationsOwnRepositoryWinsOverTheOneTheEventsName() throws Exception {
        stub = new ForgeStub(Forge.GITEA, "mirror/clusters", TOKEN);
        var notifier = new CommitStatusNotifier(http, new CommitStatusSettings(Forge.GITEA, stub.apiUrl(),
                "http://127.0.0.1/mirror/clusters.git", null, null, null), Secret.of(TOKEN), Duration.ofSeconds(5),
                Clock.systemUTC());

        // The event names https://git.example.com/platform/clusters.git.
        assertThat(notifier.send(delivery(TestEvents.created(TestEvents.header("dev-01")))))
                .isInstanceOf(SendOutcome.Delivered.class);

        assertThat(stub.accepted()).singleElement().satisfies(s -> assertThat(s.repository())
                .isEqualTo("mirror/clusters"));
    }

    @Test
    void aLongDescriptionIsCutToGitHubsLimitWithoutSplittingASurrogatePair() throws Exception {
        CommitStatusNotifier notifier = notifier(Forge.GITHUB, "platform/clusters", null, null);
        String message = "x".repeat(118) + "\uD83D\uDE80".repeat(40);
        var rejected = new ClusterDefinitionRejected(TestEvents.header("dev-01"), TestEvents.git(), List.of(
                new ValidationProblem("clusters/dev.yaml", 1, 1, "$", Rule.values()[0], message)));

        assertThat(notifier.send(delivery(rejected))).isInstanceOf(SendOutcome.Delivered.class);

        String description = stub.accepted().get(0).description();
        assertThat(description.length()).isLessThanOrEqualTo(140);
        assertThat(description).endsWith("…").doesNotContain("\uFFFD");
        assertThat(description.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF))
                .as("no lone surrogate").isTrue();
    }

    @Test
    void aWrongTokenIsPermanentAndTheReasonNamesForgeAndRepositoryButNotTheToken() throws Exception {
        stub = new ForgeStub(Forge.GITHUB, "platform/clusters", "the-right-token");
        var notifier = new CommitStatusNotifier(http, new CommitStatusSettings(Forge.GITHUB, stub.apiUrl(), null,
                null, null, null), Secret.of(TOKEN), Duration.ofSeconds(5), Clock.systemUTC());

        SendOutcome outcome = notifier.send(delivery(TestEvents.created(TestEvents.header("dev-01"))));

        assertThat(outcome).isInstanceOf(SendOutcome.PermanentFailure.class);
        String reason = ((SendOutcome.PermanentFailure) outcome).reason();
        assertThat(reason).contains("GitHub repository platform/clusters", "HTTP 401").doesNotContain(TOKEN);
    }

    @Test
    void anUnknownRepositoryIsPermanent() throws Exception {
        CommitStatusNotifier notifier = notifier(Forge.GITLAB, "platform/other", null, null);

        SendOutcome outcome = notifier.send(delivery(TestEvents.created(TestEvents.header("dev-01"))));

        assertThat(((SendOutcome.PermanentFailure) outcome).reason())
                .contains("GitLab repository platform/clusters", "HTTP 404");
    }

    @Test
    void rateLimitedAnswersAreRetriedAfterTheForgesWait() throws Exception {
        CommitStatusNotifier notifier = notifier(Forge.GITHUB, "platform/clusters", null, null);
        stub.script(new ForgeStub.Answer(403, "{\"message\":\"You have exceeded a secondary rate limit\"}",
                Map.of("Retry-After", "3")));

        SendOutcome outcome = notifier.send(delivery(TestEvents.created(TestEvents.header("dev-01"))));

        assertThat(outcome).isInstanceOf(SendOutcome.RetryLater.class);
        assertThat(((SendOutcome.RetryLater) outcome).retryAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThat(stub.accepted()).isEmpty();
    }

    @Test
    void aLateEarlierStepNeverOverwritesALaterOne() throws Exception {
        CommitStatusNotifier notifier = notifier(Forge.GITHUB, "platform/clusters", null, null);
        EventHeader header = TestEvents.header("dev-01");
        notifier.send(delivery(TestEvents.created(header)));
        notifier.send(delivery(TestEvents.ready(header)));

        assertThat(notifier.send(delivery(TestEvents.provisioned(header)))).isInstanceOf(SendOutcome.Delivered.class);

        assertThat(stub.statesOf("k0rdent/dev-01")).containsExactly("pending", "success");
    }

    @Test
    void aStatusOfAnOlderGenerationNeverOverwritesANewerOne() throws Exception {
        CommitStatusNotifier notifier = notifier(Forge.GITHUB, "platform/clusters", null, null);
        EventHeader newer = TestEvents.header("dev-01");
        EventHeader older = new EventHeader(java.util.UUID.randomUUID(), "dev-01", newer.generation() - 1,
                newer.gitCommit(), null, TestEvents.T0, Map.of(), null);
        notifier.send(delivery(TestEvents.created(newer)));

        notifier.send(delivery(TestEvents.bootstrapFailed(older)));

        assertThat(stub.statesOf("k0rdent/dev-01")).containsExactly("pending");
    }
}
