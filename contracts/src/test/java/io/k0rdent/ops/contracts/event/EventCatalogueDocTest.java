package io.k0rdent.ops.contracts.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.topic.Topic;
import io.k0rdent.ops.contracts.topic.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Keeps docs/events.md true: every topic and event type in the code is documented there. */
class EventCatalogueDocTest {

    @Test
    void catalogueNamesEveryTopicAndEventType() throws IOException {
        String doc = Files.readString(Path.of("../docs/events.md"));

        for (Topic topic : Topics.all()) {
            assertThat(doc).as("topic %s", topic.name()).contains("`" + topic.name() + "`");
        }
        for (EventType type : EventType.values()) {
            assertThat(doc).as("event type %s", type).contains("`" + type.ceType() + "`")
                    .contains("`" + type.javaType().getSimpleName() + "`");
        }
        for (io.k0rdent.ops.contracts.validation.Rule rule : io.k0rdent.ops.contracts.validation.Rule.values()) {
            assertThat(doc).as("rule id %s", rule.id()).contains("| `" + rule.id() + "` |");
        }
    }
}
