package io.k0rdent.ops.contracts.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.contracts.serde.EventJson;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The compatibility guard: the golden files are what earlier versions wrote. Every field of a golden
 * file must survive reading it and writing it back, with the same value, so removing or renaming a
 * field, or changing its type, fails here. Adding fields does not.
 *
 * <p>Regenerate a missing golden file (never an existing one) with {@code -Dgolden.write=true}.
 */
class GoldenEventsTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    private final ClusterEventCodec codec = new ClusterEventCodec(URI.create("/k0rdent-ops/test"));
    private final ObjectMapper mapper = EventJson.newMapper();

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyTypeHasAGoldenFile(EventType type) throws IOException {
        Path file = GOLDEN.resolve(SampleEvents.goldenFile(type));
        if (Boolean.getBoolean("golden.write") && !Files.exists(file)) {
            Files.write(file, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(SampleEvents.of(type)));
        }
        assertThat(file).exists();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyGoldenFieldSurvivesReadAndWrite(EventType type) throws IOException {
        byte[] golden = Files.readAllBytes(GOLDEN.resolve(SampleEvents.goldenFile(type)));

        ClusterEvent read = codec.fromJson(type, golden);
        JsonNode written = mapper.readTree(codec.toJson(read));

        List<String> lost = new ArrayList<>();
        collectMissing("$", mapper.readTree(golden), written, lost);
        assertThat(lost).as("fields of the golden %s lost or changed on read/write", type).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void goldenFileReadsAsTheSampleEvent(EventType type) throws IOException {
        byte[] golden = Files.readAllBytes(GOLDEN.resolve(SampleEvents.goldenFile(type)));

        assertThat(codec.fromJson(type, golden)).isEqualTo(SampleEvents.of(type));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void unknownFieldsFromNewerProducersAreIgnored(EventType type) throws IOException {
        ObjectNode golden = (ObjectNode) mapper.readTree(GOLDEN.resolve(SampleEvents.goldenFile(type)).toFile());
        golden.put("addedInV2", "something new");
        ((ObjectNode) golden.get("header")).putObject("tracing").put("sampled", true);

        ClusterEvent read = codec.fromJson(type, mapper.writeValueAsBytes(golden));

        assertThat(read).isEqualTo(SampleEvents.of(type));
    }

    private static void collectMissing(String path, JsonNode expected, JsonNode actual, List<String> lost) {
        if (actual == null || actual.isMissingNode()) {
            lost.add(path + " (missing)");
            return;
        }
        if (expected.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                collectMissing(path + "." + field.getKey(), field.getValue(), actual.get(field.getKey()), lost);
            }
        } else if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                lost.add(path + " (array changed)");
                return;
            }
            for (int i = 0; i < expected.size(); i++) {
                collectMissing(path + "[" + i + "]", expected.get(i), actual.get(i), lost);
            }
        } else if (!expected.equals(actual)) {
            lost.add(path + " (" + expected + " became " + actual + ")");
        }
    }
}
