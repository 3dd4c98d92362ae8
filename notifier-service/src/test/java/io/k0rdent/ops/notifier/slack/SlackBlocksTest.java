package io.k0rdent.ops.notifier.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.slack.api.util.json.GsonFactory;
import io.k0rdent.ops.notifier.TestEvents;
import io.k0rdent.ops.notifier.message.MessageRenderer;
import io.k0rdent.ops.notifier.message.Notice;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlackBlocksTest {

    private final MessageRenderer renderer = new MessageRenderer("{repository}/commit/{commit}",
            "https://git.example.com/platform/clusters");

    @Test
    void laysOutHeaderFieldsCodeSectionsAndContext() {
        var payload = SlackBlocks.payload(renderer.render(List.of(new Notice(TestEvents.ready("dev-01"), null))));
        JsonObject json = GsonFactory.createSnakeCase().toJsonTree(payload).getAsJsonObject();
        JsonArray blocks = json.getAsJsonArray("blocks");

        assertThat(json.get("text").getAsString()).isEqualTo("dev-01: ready");
        assertThat(blocks.get(0).getAsJsonObject().get("type").getAsString()).isEqualTo("header");
        assertThat(blocks.get(0).getAsJsonObject().getAsJsonObject("text").get("text").getAsString())
                .isEqualTo(":white_check_mark: dev-01: ready");
        String fields = blocks.get(1).getAsJsonObject().getAsJsonArray("fields").toString();
        assertThat(fields).contains("*Cluster*\\ndev-01", "<https://git.example.com/platform/clusters/commit/"
                + TestEvents.COMMIT + "|9fceb02>", "Ada Lovelace &lt;ada@example.com&gt;");
        assertThat(json.toString()).contains("k0ops kubeconfig dev-01");
        assertThat(blocks.get(blocks.size() - 1).getAsJsonObject().get("type").getAsString()).isEqualTo("context");
    }
}
