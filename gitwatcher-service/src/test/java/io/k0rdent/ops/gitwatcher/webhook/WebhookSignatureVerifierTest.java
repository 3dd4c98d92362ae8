package io.k0rdent.ops.gitwatcher.webhook;

import io.k0rdent.ops.support.Secret;
import static io.k0rdent.ops.gitwatcher.support.Fixtures.GITEA_PUSH_HMAC;
import static io.k0rdent.ops.gitwatcher.support.Fixtures.GITHUB_PUSH_HMAC;
import static io.k0rdent.ops.gitwatcher.support.Fixtures.GITHUB_TAG_DELETED_HMAC;
import static io.k0rdent.ops.gitwatcher.support.Fixtures.SECRET;
import static io.k0rdent.ops.gitwatcher.support.Fixtures.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class WebhookSignatureVerifierTest {

    private static final Secret KEY = Secret.of(SECRET);

    @Test
    void githubsDocumentedTestVector() {
        assertThat(WebhookSignatureVerifier.hmacHex(Secret.of("It's a Secret to Everybody"),
                "Hello, World!".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    }

    @Test
    void fixturesVerifyWithTheirDocumentedSignatures() {
        assertThat(WebhookSignatureVerifier.verify(WebhookProvider.GITHUB, KEY, "sha256=" + GITHUB_PUSH_HMAC,
                webhook("github-push.json"))).isTrue();
        assertThat(WebhookSignatureVerifier.verify(WebhookProvider.GITHUB, KEY, "sha256=" + GITHUB_TAG_DELETED_HMAC,
                webhook("github-push-tag-deleted.json"))).isTrue();
        assertThat(WebhookSignatureVerifier.verify(WebhookProvider.GITEA, KEY, GITEA_PUSH_HMAC,
                webhook("gitea-push.json"))).isTrue();
        assertThat(WebhookSignatureVerifier.verify(WebhookProvider.GITLAB, KEY, SECRET, webhook("gitlab-push.json"))).isTrue();
    }

    @Test
    void wrongSecretFails() {
        assertThat(WebhookSignatureVerifier.verify(WebhookProvider.GITHUB, Secret.of("wrong"), "sha256=" + GITHUB_PUSH_HMAC,
                webhook("github-push.json"))).isFalse();
        assertThat(WebhookSignatureVerifier.verify(WebhookProvider.GITLAB, KEY, "k0rdent-test-secreT", new byte[0])).isFalse();
    }

    @Test
    void oneChangedByteFails() {
        byte[] body = webhook("github-push.json");
        body[100] ^= 1;
        assertThat(WebhookSignatureVerifier.verify(WebhookProvider.GITHUB, KEY, "sha256=" + GITHUB_PUSH_HMAC, body)).isFalse();
    }

    @Test
    void missingHeaderOrMissingSecretFails() {
        assertThat(WebhookSignatureVerifier.verify(WebhookProvider.GITHUB, KEY, null, webhook("github-push.json"))).isFalse();
        assertThat(WebhookSignatureVerifier.verify(WebhookProvider.GITLAB, KEY, null, webhook("gitlab-push.json"))).isFalse();
        assertThat(WebhookSignatureVerifier.verify(WebhookProvider.GITHUB, null, "sha256=" + GITHUB_PUSH_HMAC,
                webhook("github-push.json"))).isFalse();
    }

    @Test
    void sha1PrefixWhereSha256IsExpectedFails() {
        assertThat(WebhookSignatureVerifier.verify(WebhookProvider.GITHUB, KEY, "sha1=" + GITHUB_PUSH_HMAC,
                webhook("github-push.json"))).isFalse();
    }

    @Test
    void githubPrefixOnTheGiteaHeaderFails() {
        assertThat(WebhookSignatureVerifier.verify(WebhookProvider.GITEA, KEY, "sha256=" + GITEA_PUSH_HMAC,
                webhook("gitea-push.json"))).isFalse();
    }

    /** Decision: both hosts send lower-case hex, so only that form is accepted. */
    @Test
    void upperCaseHexIsRefused() {
        assertThat(WebhookSignatureVerifier.verify(WebhookProvider.GITHUB, KEY,
                "sha256=" + GITHUB_PUSH_HMAC.toUpperCase(Locale.ROOT), webhook("github-push.json"))).isFalse();
        assertThat(WebhookSignatureVerifier.verify(WebhookProvider.GITEA, KEY, GITEA_PUSH_HMAC.toUpperCase(Locale.ROOT),
                webhook("gitea-push.json"))).isFalse();
    }

    @Test
    void reSerializedBodyFails() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        byte[] reSerialized = mapper.writeValueAsBytes(mapper.readTree(webhook("github-push.json")));
        assertThat(WebhookSignatureVerifier.verify(WebhookProvider.GITHUB, KEY, "sha256=" + GITHUB_PUSH_HMAC,
                reSerialized)).isFalse();
    }
}
