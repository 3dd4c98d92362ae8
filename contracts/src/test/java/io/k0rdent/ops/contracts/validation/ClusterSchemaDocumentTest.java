package io.k0rdent.ops.contracts.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The schema file itself, as editors and CI tools will consume it. */
class ClusterSchemaDocumentTest {

    private final JsonNode schema = read();

    @Test
    void isAValidDraft202012SchemaWithAnId() {
        var metaSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

        assertThat(metaSchema.validate(schema)).isEmpty();
        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("$id").asText()).isEqualTo("https://k0rdent.io/schemas/cluster-v1alpha1.schema.json");
        assertThat(schema.path("title").isTextual()).isTrue();
        assertThat(schema.path("description").isTextual()).isTrue();
    }

    @Test
    void everyObjectWithPropertiesRefusesUnknownFields() {
        List<String> open = new ArrayList<>();
        collectOpenObjects(schema, "#", open);

        assertThat(open).isEmpty();
    }

    @Test
    void acceptsTheValidSampleOnItsOwn() {
        JsonNode document = new SafeYamlReader().read("valid.yaml", TestDefinitions.text(TestDefinitions.VALID)).root();
        var clusterSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema);

        assertThat(clusterSchema.validate(document)).isEmpty();
    }

    private static void collectOpenObjects(JsonNode node, String pointer, List<String> open) {
        if (!node.isObject()) {
            return;
        }
        // A $ref sibling only narrows a referenced schema, which closes the object itself.
        if (node.has("properties") && !node.has("$ref") && !node.path("additionalProperties").isBoolean()) {
            open.add(pointer);
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            collectOpenObjects(field.getValue(), pointer + "/" + field.getKey(), open);
        }
    }

    private static JsonNode read() {
        try (InputStream in = ClusterSchemaDocumentTest.class.getResourceAsStream(ClusterDefinitionValidator.SCHEMA_RESOURCE)) {
            return new ObjectMapper().readTree(in);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
