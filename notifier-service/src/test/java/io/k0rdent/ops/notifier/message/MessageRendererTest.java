package io.k0rdent.ops.notifier.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.notifier.TestEvents;
import io.k0rdent.ops.notifier.routing.Severity;
import io.k0rdent.ops.notifier.routing.Stage;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MessageRendererTest {

    private final MessageRenderer renderer = new MessageRenderer("{repository}/commit/{commit}",
            "https://git.example.com/platform/clusters.git");

    @Test
    void readyMessageHasClusterStageCommitLinkAuthorDurationAndKubeconfigCommand() {
        MessageContent content = renderer.render(List.of(new Notice(TestEvents.ready("dev-01"), null)));

        assertThat(content.title()).isEqualTo("dev-01: ready");
        assertThat(content.severity()).isEqualTo(Severity.INFO);
        assertThat(content.facts()).contains(
                Fact.text("Cluster", "dev-01"),
                Fact.text("Stage", "bootstrap"),
                Fact.link("Commit", "9fceb02", "https://git.example.com/platform/clusters/commit/" + TestEvents.COMMIT),
                Fact.text("Author", "Ada Lovelace <ada@example.com>"),
                Fact.text("Duration", "2m 1s bootstrap"),
                Fact.code("Kubeconfig", "k0ops kubeconfig dev-01"));
    }

    @Test
    void durationCountsFromTheAcceptedChange() {
        var ready = TestEvents.ready(TestEvents.at(TestEvents.header("dev-01"), TestEvents.T0.plusSeconds(372)));

        MessageContent content = renderer.render(List.of(new Notice(ready, null, TestEvents.T0)));

        assertThat(content.facts()).contains(Fact.text("Duration", "2m 1s bootstrap, 6m 12s since the change was accepted"));
    }

    @Test
    void failureHasErrorAndRemediation() {
        MessageContent content = renderer.render(List.of(
                new Notice(TestEvents.bootstrapFailed(TestEvents.header("dev-01")), null)));

        assertThat(content.title()).isEqualTo("dev-01: bootstrap failed at JOIN_WORKERS");
        assertThat(content.severity()).isEqualTo(Severity.ERROR);
        assertThat(content.facts()).filteredOn(f -> f.label().equals("Error")).singleElement()
                .satisfies(f -> assertThat(f.value()).contains("10.0.2.20", "did not join", "context deadline"));
        assertThat(content.facts()).filteredOn(f -> f.label().equals("Remediation")).singleElement()
                .satisfies(f -> assertThat(f.value()).contains("6443"));
    }

    @Test
    void aFailureSaysWhetherTheServiceTriesAgainByItselfOrHasStopped() {
        var failed = TestEvents.bootstrapFailed(TestEvents.header("dev-01"));
        var retrying = failed.withRetry(new io.k0rdent.ops.contracts.event.FailureRetry(2,
                java.time.Instant.parse("2026-12-05T09:31:00.250Z")));
        var spent = failed.withRetry(new io.k0rdent.ops.contracts.event.FailureRetry(10, null));
        var provisioning = TestEvents.provisioningFailed(TestEvents.header("dev-02"))
                .withRetry(new io.k0rdent.ops.contracts.event.FailureRetry(1, null));

        assertThat(renderer.render(List.of(new Notice(retrying, null))).facts()).contains(Fact.text("Retry",
                "failure 2 in a row; tried again automatically at 2026-12-05T09:31:00Z"));
        assertThat(renderer.render(List.of(new Notice(spent, null))).facts()).contains(Fact.text("Retry",
                "failure 10 in a row; automatic retries spent: push a change or run `k0ops reconcile dev-01`"));
        assertThat(renderer.render(List.of(new Notice(provisioning, null))).facts())
                .filteredOn(f -> f.label().equals("Retry")).singleElement()
                .satisfies(f -> assertThat(f.value()).startsWith("failure 1 in a row; automatic retries spent"));
        assertThat(renderer.render(List.of(new Notice(failed, null))).facts())
                .noneSatisfy(f -> assertThat(f.label()).isEqualTo("Retry"));
    }

    @Test
    void rejectionLinksTheCommitOfItsOwnRepositoryAndListsProblems() {
        MessageContent content = renderer.render(List.of(new Notice(TestEvents.rejected(TestEvents.header("dev-01")),
                null)));

        assertThat(content.title()).isEqualTo("dev-01: definition rejected (1 problem)");
        assertThat(content.facts()).anySatisfy(f -> assertThat(f.value()).contains("controllers.count must be odd"));
        assertThat(content.facts()).anySatisfy(f -> assertThat(f.value()).isEqualTo("9fceb02 Scale dev to 3 workers"));
    }

    @Test
    void recoverySaysWhatFailedBefore() {
        Recovery recovery = new Recovery(Stage.BOOTSTRAP, "JOIN_WORKERS", TestEvents.T0);

        MessageContent content = renderer.render(List.of(new Notice(TestEvents.ready("dev-01"), recovery)));

        assertThat(content.title()).isEqualTo("dev-01: ready again after failing at bootstrap (JOIN_WORKERS)");
    }

    @Test
    void withoutTemplateOrRepositoryTheCommitIsPlainText() {
        MessageContent content = new MessageRenderer(null, null)
                .render(List.of(new Notice(TestEvents.ready("dev-01"), null)));

        assertThat(content.facts()).contains(Fact.text("Commit", "9fceb02"));
    }

    @Test
    void digestListsClustersAndCutsLongLists() {
        List<Notice> notices = IntStream.range(0, 200)
                .mapToObj(i -> new Notice(TestEvents.provisioned(TestEvents.header("c-%03d".formatted(i))), null))
                .toList();

        MessageContent content = renderer.render(notices);

        assertThat(content.title()).isEqualTo("200 clusters: infrastructure provisioned");
        assertThat(content.eventCount()).isEqualTo(200);
        assertThat(content.clusters()).hasSize(MessageRenderer.MAX_DIGEST_LINES).first().asString()
                .startsWith("c-000: infrastructure provisioned");
        assertThat(content.omittedClusters()).isEqualTo(200 - MessageRenderer.MAX_DIGEST_LINES);
        assertThat(content.plainText()).contains("… and 175 more");
    }

    @Test
    void theKubeconfigIsFetchedWithK0opsNamingANamespaceOnlyWhenItIsNotTheDefault() {
        assertThat(MessageRenderer.kubeconfigCommand("dev-01",
                new io.k0rdent.ops.contracts.event.SecretReference("k0rdent-system", "dev-01-kubeconfig")))
                .contains("k0ops kubeconfig dev-01");
        assertThat(MessageRenderer.kubeconfigCommand("dev-01",
                new io.k0rdent.ops.contracts.event.SecretReference("platform", "dev-01-kubeconfig")))
                .contains("k0ops kubeconfig dev-01 -n platform");
        assertThat(MessageRenderer.kubeconfigCommand("dev-01",
                new io.k0rdent.ops.contracts.event.SecretReference("platform", "custom")))
                .hasValueSatisfying(command -> assertThat(command).startsWith("kubectl get secret -n platform custom"));
    }
}
