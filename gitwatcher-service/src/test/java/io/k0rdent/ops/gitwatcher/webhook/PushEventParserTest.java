package io.k0rdent.ops.gitwatcher.webhook;

import static io.k0rdent.ops.gitwatcher.support.Fixtures.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PushEventParserTest {

    private final PushEventParser parser = new PushEventParser();

    @Test
    void github() {
        PushEvent push = parser.parse(webhook("github-push.json"));
        assertThat(push.branch()).isEqualTo("master");
        assertThat(push.deleted()).isFalse();
        assertThat(push.repository()).contains("github.com/codertocat/hello-world", "codertocat/hello-world");
    }

    @Test
    void githubTagDeletionIsNotABranch() {
        PushEvent push = parser.parse(webhook("github-push-tag-deleted.json"));
        assertThat(push.branch()).isNull();
        assertThat(push.deleted()).isTrue();
    }

    @Test
    void gitlab() {
        PushEvent push = parser.parse(webhook("gitlab-push.json"));
        assertThat(push.branch()).isEqualTo("master");
        assertThat(push.repository()).contains("example.com/mike/diaspora", "mike/diaspora");
    }

    @Test
    void gitea() {
        PushEvent push = parser.parse(webhook("gitea-push.json"));
        assertThat(push.branch()).isEqualTo("develop");
        assertThat(push.repository()).contains("localhost/gitea/webhooks", "gitea/webhooks");
    }

    @Test
    void malformedJsonIsRefusedWithoutQuotingIt() {
        assertThatThrownBy(() -> parser.parse("{\"ref\": \"refs/heads/main\", secret".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> parser.parse("[]".getBytes(StandardCharsets.UTF_8))).isInstanceOf(MalformedPayloadException.class);
        assertThatThrownBy(() -> parser.parse(new byte[0])).isInstanceOf(MalformedPayloadException.class);
    }
}
