package io.k0rdent.ops.gitwatcher.webhook;

import io.k0rdent.ops.support.Secret;
import static io.k0rdent.ops.gitwatcher.support.Fixtures.GITEA_PUSH_HMAC;
import static io.k0rdent.ops.gitwatcher.support.Fixtures.GITHUB_PUSH_HMAC;
import static io.k0rdent.ops.gitwatcher.support.Fixtures.GITHUB_TAG_DELETED_HMAC;
import static io.k0rdent.ops.gitwatcher.support.Fixtures.SECRET;
import static io.k0rdent.ops.gitwatcher.support.Fixtures.formEncoded;
import static io.k0rdent.ops.gitwatcher.support.Fixtures.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.gitwatcher.PathGlobs;
import io.k0rdent.ops.gitwatcher.WatchKey;
import io.k0rdent.ops.gitwatcher.WatchedRepository;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class PushWebhookHandlerTest {

    private final List<WatchKey> triggered = new ArrayList<>();
    private final WatchedRepository github = repository("https://github.com/Codertocat/Hello-World.git", "master", SECRET);
    private final WatchedRepository gitea = repository("file:///srv/mirror.git", "develop", SECRET, "gitea/webhooks");
    private final WatchedRepository gitlab = repository("git@example.com:mike/diaspora.git", "master", SECRET);
    private final PushWebhookHandler handler = new PushWebhookHandler(List.of(github, gitea, gitlab),
            key -> triggered.add(key), 64 * 1024, new DeliveryDeduplicator(100));

    private static WatchedRepository repository(String url, String branch, String secret, String... names) {
        return new WatchedRepository(new WatchKey(url, branch), url, new PathGlobs(List.of("clusters/**/*.yaml")),
                Duration.ofMinutes(1), 0, null, Secret.of(secret), WatchedRepository.matchKeysOf(url, List.of(names)));
    }

    private static UnaryOperator<String> headers(String... pairs) {
        Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map::get;
    }

    @Test
    void validGithubPushTriggersTheWatchedBranch() {
        WebhookOutcome outcome = handler.handle(WebhookProvider.GITHUB, headers("X-Hub-Signature-256",
                "sha256=" + GITHUB_PUSH_HMAC, "X-GitHub-Delivery", "d-1"), webhook("github-push.json"));

        assertThat(outcome.result()).isEqualTo(WebhookOutcome.Result.TRIGGERED);
        assertThat(outcome.result().status()).isEqualTo(202);
        assertThat(triggered).containsExactly(github.key());
    }

    @Test
    void redeliveryIsAcceptedButTriggersNothing() {
        UnaryOperator<String> h = headers("X-Hub-Signature-256", "sha256=" + GITHUB_PUSH_HMAC, "X-GitHub-Delivery", "d-2");
        handler.handle(WebhookProvider.GITHUB, h, webhook("github-push.json"));
        WebhookOutcome again = handler.handle(WebhookProvider.GITHUB, h, webhook("github-push.json"));

        assertThat(again.result()).isEqualTo(WebhookOutcome.Result.DUPLICATE);
        assertThat(again.result().status()).isEqualTo(202);
        assertThat(triggered).hasSize(1);
    }

    @Test
    void badSignaturesAreUnauthorizedAndTriggerNothing() {
        byte[] body = webhook("github-push.json");
        byte[] tampered = body.clone();
        tampered[50] ^= 1;
        assertThat(handler.handle(WebhookProvider.GITHUB, headers(), body).result()).isEqualTo(WebhookOutcome.Result.UNAUTHORIZED);
        assertThat(handler.handle(WebhookProvider.GITHUB, headers("X-Hub-Signature-256", "sha256=" + GITHUB_PUSH_HMAC), tampered)
                .result()).isEqualTo(WebhookOutcome.Result.UNAUTHORIZED);
        assertThat(handler.handle(WebhookProvider.GITEA, headers("X-Gitea-Signature", "sha256=" + GITEA_PUSH_HMAC),
                webhook("gitea-push.json")).result()).isEqualTo(WebhookOutcome.Result.UNAUTHORIZED);
        assertThat(handler.handle(WebhookProvider.GITLAB, headers("X-Gitlab-Token", "nope"), webhook("gitlab-push.json"))
                .result()).isEqualTo(WebhookOutcome.Result.UNAUTHORIZED);
        assertThat(triggered).isEmpty();
    }

    @Test
    void unauthenticatedRequestsDoNotPoisonTheDedupeCache() {
        handler.handle(WebhookProvider.GITHUB, headers("X-GitHub-Delivery", "d-3"), webhook("github-push.json"));
        WebhookOutcome real = handler.handle(WebhookProvider.GITHUB, headers("X-Hub-Signature-256",
                "sha256=" + GITHUB_PUSH_HMAC, "X-GitHub-Delivery", "d-3"), webhook("github-push.json"));

        assertThat(real.result()).isEqualTo(WebhookOutcome.Result.TRIGGERED);
    }

    @Test
    void tagPushIsIgnored() {
        WebhookOutcome outcome = handler.handle(WebhookProvider.GITHUB, headers("X-Hub-Signature-256",
                "sha256=" + GITHUB_TAG_DELETED_HMAC), webhook("github-push-tag-deleted.json"));

        assertThat(outcome.result()).isEqualTo(WebhookOutcome.Result.IGNORED);
        assertThat(triggered).isEmpty();
    }

    @Test
    void giteaAndGitlabMatchByConfiguredNameOrCloneUrl() {
        assertThat(handler.handle(WebhookProvider.GITEA, headers("X-Gitea-Signature", GITEA_PUSH_HMAC),
                webhook("gitea-push.json")).result()).isEqualTo(WebhookOutcome.Result.TRIGGERED);
        assertThat(handler.handle(WebhookProvider.GITLAB, headers("X-Gitlab-Token", SECRET),
                webhook("gitlab-push.json")).result()).isEqualTo(WebhookOutcome.Result.TRIGGERED);
        assertThat(triggered).containsExactly(gitea.key(), gitlab.key());
    }

    @Test
    void unwatchedBranchIsIgnored() {
        byte[] body = new String(webhook("github-push.json"), StandardCharsets.UTF_8)
                .replace("refs/heads/master", "refs/heads/feature").getBytes(StandardCharsets.UTF_8);
        WebhookOutcome outcome = handler.handle(WebhookProvider.GITHUB, headers("X-Hub-Signature-256",
                "sha256=" + WebhookSignatureVerifier.hmacHex(Secret.of(SECRET), body)), body);

        assertThat(outcome.result()).isEqualTo(WebhookOutcome.Result.IGNORED);
    }

    @Test
    void malformedJsonIsBadRequestAndOversizedIsTooLarge() {
        byte[] junk = "{not json".getBytes(StandardCharsets.UTF_8);
        assertThat(handler.handle(WebhookProvider.GITHUB, headers("X-Hub-Signature-256",
                "sha256=" + WebhookSignatureVerifier.hmacHex(Secret.of(SECRET), junk)), junk).result())
                .isEqualTo(WebhookOutcome.Result.MALFORMED);
        assertThat(handler.handle(WebhookProvider.GITHUB, headers(), new byte[64 * 1024 + 1]).result())
                .isEqualTo(WebhookOutcome.Result.TOO_LARGE);
    }

    @Test
    void aSignedBodyNestedDeeperThanTheParserAllowsIsMalformedNotACrash() {
        byte[] nested = ("{\"ref\":" + "[".repeat(5000) + "]".repeat(5000) + "}").getBytes(StandardCharsets.UTF_8);

        WebhookOutcome outcome = handler.handle(WebhookProvider.GITHUB, headers("X-Hub-Signature-256",
                "sha256=" + hmac(nested), "X-GitHub-Delivery", "d-deep"), nested);

        assertThat(outcome.result()).isEqualTo(WebhookOutcome.Result.MALFORMED);
        assertThat(outcome.result().status()).isEqualTo(400);
        assertThat(outcome.message()).contains("nest").doesNotContainIgnoringCase("exception")
                .doesNotContain("jackson");
    }

    @Test
    void aDeliveryRefusedAsMalformedIsNotRememberedSoItsRedeliveryIsProcessed() {
        byte[] junk = "{not json".getBytes(StandardCharsets.UTF_8);
        WebhookOutcome refused = handler.handle(WebhookProvider.GITHUB, headers("X-Hub-Signature-256",
                "sha256=" + hmac(junk), "X-GitHub-Delivery", "d-fixed"), junk);
        assertThat(refused.result()).isEqualTo(WebhookOutcome.Result.MALFORMED);

        WebhookOutcome redelivered = handler.handle(WebhookProvider.GITHUB, headers("X-Hub-Signature-256",
                "sha256=" + GITHUB_PUSH_HMAC, "X-GitHub-Delivery", "d-fixed"), webhook("github-push.json"));

        assertThat(redelivered.result()).isEqualTo(WebhookOutcome.Result.TRIGGERED);
        assertThat(triggered).containsExactly(github.key());
    }

    private static String hmac(byte[] body) {
        return WebhookSignatureVerifier.hmacHex(Secret.of(SECRET), body);
    }

    @Test
    void formEncodedGithubAndGiteaPushesAreVerifiedOverTheFormBytesThenDecoded() {
        byte[] githubForm = formEncoded("github-push.json");
        byte[] giteaForm = formEncoded("gitea-push.json");
        String form = "application/x-www-form-urlencoded";

        assertThat(handler.handle(WebhookProvider.GITHUB, headers("Content-Type", form,
                "X-Hub-Signature-256", "sha256=" + hmac(githubForm)), githubForm).result()).isEqualTo(WebhookOutcome.Result.TRIGGERED);
        assertThat(handler.handle(WebhookProvider.GITEA, headers("Content-Type", form + "; charset=UTF-8",
                "X-Gitea-Signature", hmac(giteaForm)), giteaForm).result()).isEqualTo(WebhookOutcome.Result.TRIGGERED);
        assertThat(triggered).containsExactly(github.key(), gitea.key());
    }

    @Test
    void formEncodedBodyWithTheSignatureOfTheDecodedJsonIsUnauthorized() {
        // The fixture's HMAC is over the JSON; a form body must be signed as sent, never as decoded.
        assertThat(handler.handle(WebhookProvider.GITHUB, headers("Content-Type", "application/x-www-form-urlencoded",
                "X-Hub-Signature-256", "sha256=" + GITHUB_PUSH_HMAC), formEncoded("github-push.json")).result())
                .isEqualTo(WebhookOutcome.Result.UNAUTHORIZED);
        assertThat(triggered).isEmpty();
    }

    @Test
    void formEncodedBodyWithoutPayloadOrWithJunkIsBadRequest() {
        for (String body : List.of("other=1", "payload=%7Bnot-json", "payload=%zz")) {
            byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
            assertThat(handler.handle(WebhookProvider.GITHUB, headers("Content-Type", "application/x-www-form-urlencoded",
                    "X-Hub-Signature-256", "sha256=" + hmac(bytes)), bytes).result())
                    .as(body).isEqualTo(WebhookOutcome.Result.MALFORMED);
        }
        assertThat(triggered).isEmpty();
    }
}
