package io.k0rdent.ops.contracts.validation;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Checks a loaded document against {@code cluster-v1alpha1.schema.json} and rewrites each schema
 * error as a {@link Rule#SCHEMA} problem in the user's terms: the path of the offending node (for an
 * unknown field, the field itself) and a message that names fields rather than schema keywords.
 *
 * <p>The schema also carries value patterns and ranges so that editors can flag mistakes while
 * typing. For the fields in {@link #VALUE_RULE_PATHS} the Java rules report those mistakes with more
 * precise messages, so only type errors are taken from the schema there.
 */
final class SchemaCheck {

    /** Classpath location of the schema shipped with this module. */
    static final String SCHEMA_RESOURCE = "/schema/cluster-v1alpha1.schema.json";

    static final Set<String> VALUE_RULE_PATHS = Set.of(
            DefinitionPaths.NAME,
            DefinitionPaths.REGION,
            DefinitionPaths.VPC_CIDR,
            DefinitionPaths.CONTROLLER_COUNT,
            DefinitionPaths.CONTROLLER_INSTANCE_TYPE,
            DefinitionPaths.WORKER_COUNT,
            DefinitionPaths.WORKER_INSTANCE_TYPE,
            DefinitionPaths.K0S_VERSION);

    private final JsonNode schemaDocument;
    private final JsonSchema schema;

    SchemaCheck(ObjectMapper mapper) {
        this.schemaDocument = readSchema(mapper);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_PATH)
                // Fallback messages must not depend on the locale of the machine running the check.
                .locale(Locale.ENGLISH)
                .build();
        this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaDocument, config);
        this.schema.initializeValidators();
    }

    void check(JsonNode document, LocationIndex locations, ProblemCollector problems) {
        // One problem per node and message: the same error can arrive through several evaluation paths.
        Set<String> reported = new HashSet<>();
        for (ValidationMessage error : schema.validate(document)) {
            String path = toPath(error.getInstanceLocation());
            if (VALUE_RULE_PATHS.contains(path) && !"type".equals(error.getType())) {
                continue;
            }
            Translated problem = translate(error, path);
            if (!reported.add(problem.path() + '\n' + problem.message())) {
                continue;
            }
            if (problem.missing()) {
                // Reported at the missing field's own path ($.spec, $.metadata.name), pointing at the mapping
                // that should hold it: the field itself has no place in the file.
                problems.add(problem.path(), locations.find(path).orElse(SourceLocation.WHOLE_FILE), problem.rule(),
                        problem.message());
            } else if (problem.atKey()) {
                problems.atKey(problem.path(), problem.rule(), problem.message());
            } else {
                problems.atNode(problem.path(), problem.rule(), problem.message());
            }
        }
    }

    /**
     * A schema error in the user's terms; {@code atKey} when it should point at a field's key rather than its value,
     * {@code missing} when the field at {@code path} is absent (it points at its parent mapping).
     */
    private record Translated(String path, boolean atKey, String message, boolean missing, Rule rule) {

        Translated(String path, boolean atKey, String message) {
            this(path, atKey, message, false, Rule.SCHEMA);
        }

        Translated as(Rule finer) {
            return new Translated(path, atKey, message, missing, finer);
        }
    }

    private Translated translate(ValidationMessage error, String path) {
        String keywordValue = error.getSchemaNode().asText();
        return switch (error.getType()) {
            case "required" -> new Translated(JsonPaths.child(path, error.getProperty()), false,
                    "required property '" + error.getProperty() + "' is missing", true, Rule.SCHEMA_REQUIRED);
            // Both point at the offending key, which is reported as its own path.
            case "additionalProperties" -> new Translated(JsonPaths.child(path, error.getProperty()), true,
                    "unknown field '" + error.getProperty() + "' (allowed: " + allowedFields(error) + ")")
                    .as(Rule.SCHEMA_UNKNOWN_FIELD);
            case "propertyNames" -> new Translated(JsonPaths.child(path, error.getProperty()), true,
                    "'" + error.getProperty() + "' is not a valid key; expected "
                            + describe(error, String.valueOf(error.getArguments()[1]))).as(Rule.SCHEMA_UNKNOWN_FIELD);
            case "type" -> new Translated(path, false, typeMessage(error)).as(Rule.SCHEMA_TYPE);
            case "const" -> new Translated(path, false, "must be '" + keywordValue + "'").as(
                    path.equals(DefinitionPaths.KIND) ? Rule.SCHEMA_KIND
                            : path.equals(DefinitionPaths.API_VERSION) ? Rule.SCHEMA_APIVERSION : Rule.SCHEMA);
            case "enum" -> new Translated(path, false, "must be one of: " + join(error.getSchemaNode()));
            case "pattern" -> new Translated(path, false,
                    "does not have the expected format: " + describe(error, "a match for " + keywordValue));
            case "minLength" -> new Translated(path, false, "must be at least " + keywordValue + " characters long");
            case "maxLength" -> new Translated(path, false, "must be at most " + keywordValue + " characters long");
            case "minimum" -> new Translated(path, false, "must be at least " + keywordValue);
            case "maximum" -> new Translated(path, false, "must be at most " + keywordValue);
            default -> new Translated(path, false, withoutLocationPrefix(error));
        };
    }

    /** The instance location in the path syntax of {@link JsonPaths}, whatever the library prints. */
    static String toPath(JsonNodePath location) {
        String path = JsonPaths.ROOT;
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            path = element instanceof Integer index ? JsonPaths.index(path, index) : JsonPaths.child(path, element.toString());
        }
        return path;
    }

    /**
     * The fields the schema declares next to the {@code additionalProperties: false} that fired, in
     * declaration order, found through the error's schema location so that {@code $ref}s are followed.
     */
    private String allowedFields(ValidationMessage error) {
        Optional<JsonNode> declaring = schemaNodeAt(error);
        if (declaring.isEmpty()) {
            return "see the schema";
        }
        List<String> names = new ArrayList<>();
        declaring.get().path("properties").fieldNames().forEachRemaining(names::add);
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    /**
     * The {@code description} of the schema that holds the failed keyword (following a local
     * {@code $ref}), which is written to complete "expected ...". Falls back to {@code otherwise}.
     */
    private String describe(ValidationMessage error, String otherwise) {
        JsonNode owner = schemaNodeAt(error).orElse(null);
        if (owner == null) {
            return otherwise;
        }
        if ("propertyNames".equals(error.getType())) {
            owner = resolveLocalRef(owner.path("propertyNames"));
        }
        JsonNode description = owner.path("description");
        return description.isTextual() ? description.asText() : otherwise;
    }

    /** The schema object that contains the failed keyword, e.g. the object with {@code additionalProperties}. */
    private Optional<JsonNode> schemaNodeAt(ValidationMessage error) {
        JsonNodePath fragment = error.getSchemaLocation().getFragment();
        if (fragment == null) {
            return Optional.empty();
        }
        JsonPointer keyword = JsonPointer.compile(fragment.toString());
        JsonNode owner = schemaDocument.at(keyword.head());
        return owner.isMissingNode() ? Optional.empty() : Optional.of(resolveLocalRef(owner));
    }

    private JsonNode resolveLocalRef(JsonNode node) {
        JsonNode ref = node.path("$ref");
        if (ref.isTextual() && ref.asText().startsWith("#")) {
            JsonNode target = schemaDocument.at(ref.asText().substring(1));
            return target.isMissingNode() ? node : target;
        }
        return node;
    }

    private static String typeMessage(ValidationMessage error) {
        JsonNode expectedNode = error.getSchemaNode();
        List<String> expected = expectedNode.isArray()
                ? StreamSupport.stream(expectedNode.spliterator(), false).map(JsonNode::asText).collect(Collectors.toList())
                : List.of(expectedNode.asText());
        JsonNode found = error.getInstanceNode();
        String message = "must be " + expected.stream().map(SchemaCheck::describeType).collect(Collectors.joining(" or "))
                + ", found " + describeValueType(found);
        // The classic YAML trap: 1.28, true, 0755 and friends are not strings unless quoted.
        if (expected.contains("string") && found != null && (found.isNumber() || found.isBoolean())) {
            message += "; quote the value so that YAML reads it as text";
        }
        return message;
    }

    private static String describeType(String schemaType) {
        return switch (schemaType) {
            case "object" -> "a mapping";
            case "array" -> "a list";
            case "string" -> "a string";
            case "integer" -> "a whole number";
            case "number" -> "a number";
            case "boolean" -> "true or false";
            case "null" -> "empty";
            default -> schemaType;
        };
    }

    private static String describeValueType(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "an empty value";
        }
        if (value.isObject()) {
            return "a mapping";
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isTextual()) {
            return "a string";
        }
        if (value.isBoolean()) {
            return "a boolean";
        }
        if (value.isIntegralNumber()) {
            return "a whole number";
        }
        return value.isNumber() ? "a number" : "a " + value.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String join(JsonNode values) {
        return StreamSupport.stream(values.spliterator(), false).map(JsonNode::asText).collect(Collectors.joining(", "));
    }

    /** The library's own wording, for keywords this schema does not use today. */
    private static String withoutLocationPrefix(ValidationMessage error) {
        String message = error.getMessage();
        String prefix = error.getInstanceLocation() + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private static JsonNode readSchema(ObjectMapper mapper) {
        try (InputStream in = SchemaCheck.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("schema resource missing from the classpath: " + SCHEMA_RESOURCE);
            }
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SCHEMA_RESOURCE, e);
        }
    }
}
