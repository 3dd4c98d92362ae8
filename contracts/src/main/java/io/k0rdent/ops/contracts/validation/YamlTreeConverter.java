package io.k0rdent.ops.contracts.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Turns one composed SnakeYAML node graph into a Jackson tree and its {@link LocationIndex}.
 *
 * <p>In the node graph an alias is the very node it refers to, so a graph of a few hundred nodes can
 * stand for a tree of billions. The conversion therefore counts every node it emits and gives up
 * with {@link Rule#YAML_LIMITS} as soon as the tree would exceed {@link YamlLimits#maxNodes()} or
 * {@link YamlLimits#maxNestingDepth()}: the work done is bounded by the limits, never by the
 * expansion. One instance converts one document.
 */
final class YamlTreeConverter {

    private final String file;
    private final YamlLimits limits;
    private final JsonNodeFactory factory = JsonNodeFactory.instance;
    private final LocationIndex.Builder locations = new LocationIndex.Builder();
    private final List<ValidationProblem> problems = new ArrayList<>();
    // Collections being converted right now: meeting one again means an alias points at its own ancestor.
    private final Set<Node> inProgress = Collections.newSetFromMap(new IdentityHashMap<>());
    private int nodes;

    YamlTreeConverter(String file, YamlLimits limits) {
        this.file = file;
        this.limits = limits;
    }

    YamlDocument convert(Node root) {
        try {
            JsonNode tree = convert(root, JsonPaths.ROOT, null, 0);
            return new YamlDocument(tree, locations.build(), problems);
        } catch (LimitExceeded e) {
            return YamlDocument.failed(e.problem);
        }
    }

    private JsonNode convert(Node node, String path, SourceLocation keyLocation, int depth) {
        count();
        SourceLocation location = locationOf(node);
        if (node instanceof ScalarNode scalar) {
            locations.put(path, keyLocation, location, true);
            return scalar(scalar, path, location);
        }
        if (depth >= limits.maxNestingDepth()) {
            throw new LimitExceeded(problem(path, location, Rule.YAML_NESTING_DEPTH,
                    "mappings and sequences are nested deeper than " + limits.maxNestingDepth()
                            + " levels once aliases are followed"));
        }
        if (!inProgress.add(node)) {
            throw new LimitExceeded(problem(path, location, Rule.YAML_ALIAS_BOMB,
                    "an alias refers to a mapping or sequence that contains it; recursive structures are not allowed"));
        }
        try {
            locations.put(path, keyLocation, location, false);
            rejectExplicitTag(node, path, location, node instanceof MappingNode ? Tag.MAP : Tag.SEQ);
            if (node instanceof MappingNode mapping) {
                return mapping(mapping, path, depth);
            }
            return sequence((SequenceNode) node, path, depth);
        } finally {
            inProgress.remove(node);
        }
    }

    private ObjectNode mapping(MappingNode mapping, String path, int depth) {
        ObjectNode object = factory.objectNode();
        for (NodeTuple entry : mapping.getValue()) {
            Node keyNode = entry.getKeyNode();
            SourceLocation keyLocation = locationOf(keyNode);
            if (!(keyNode instanceof ScalarNode keyScalar)) {
                // Reported at the mapping: a complex key has no sensible JSON path of its own.
                problems.add(problem(path, keyLocation, Rule.YAML_SYNTAX,
                        "mapping keys must be plain scalars, not mappings or sequences"));
                continue;
            }
            if (!CoreScalars.isCoreTag(keyScalar.getTag())) {
                problems.add(problem(path, keyLocation, Rule.YAML_SYNTAX,
                        "tag " + shortTag(keyScalar.getTag()) + " is not supported; use plain YAML 1.2 values"));
                continue;
            }
            String key = keyScalar.getValue();
            String childPath = JsonPaths.child(path, key);
            count();
            if (object.has(key)) {
                SourceLocation first = locations.keyOf(childPath).orElse(SourceLocation.WHOLE_FILE);
                problems.add(problem(childPath, keyLocation, Rule.YAML_DUPLICATE_KEY,
                        "duplicate key '" + key + "' (first defined on line " + first.line() + ")"));
                continue;
            }
            object.set(key, convert(entry.getValueNode(), childPath, keyLocation, depth + 1));
        }
        return object;
    }

    private ArrayNode sequence(SequenceNode sequence, String path, int depth) {
        ArrayNode array = factory.arrayNode();
        List<Node> items = sequence.getValue();
        for (int i = 0; i < items.size(); i++) {
            array.add(convert(items.get(i), JsonPaths.index(path, i), null, depth + 1));
        }
        return array;
    }

    private JsonNode scalar(ScalarNode scalar, String path, SourceLocation location) {
        Optional<JsonNode> value = CoreScalars.toJson(scalar.getTag(), scalar.getValue());
        if (value.isPresent()) {
            return value.get();
        }
        // Never quote the value: it may be the very secret the scanner is about to flag.
        problems.add(problem(path, location, Rule.YAML_SYNTAX, CoreScalars.isCoreTag(scalar.getTag())
                ? "value does not match its tag " + shortTag(scalar.getTag())
                : "tag " + shortTag(scalar.getTag()) + " is not supported; use plain YAML 1.2 values"));
        return factory.nullNode();
    }

    private void rejectExplicitTag(Node node, String path, SourceLocation location, Tag expected) {
        if (!node.getTag().equals(expected)) {
            problems.add(problem(path, location, Rule.YAML_SYNTAX,
                    "tag " + shortTag(node.getTag()) + " is not supported; use plain YAML 1.2 values"));
        }
    }

    private void count() {
        if (++nodes > limits.maxNodes()) {
            throw new LimitExceeded(new ValidationProblem(file, 0, 0, JsonPaths.ROOT, Rule.YAML_ALIAS_BOMB,
                    "document has more than " + limits.maxNodes() + " nodes once aliases are followed;"
                            + " it is refused without being expanded"));
        }
    }

    private ValidationProblem problem(String path, SourceLocation at, Rule rule, String message) {
        return new ValidationProblem(file, at.line(), at.column(), path, rule, message);
    }

    private static SourceLocation locationOf(Node node) {
        Optional<Mark> mark = node.getStartMark();
        return mark.map(SafeYamlReader::location).orElse(SourceLocation.WHOLE_FILE);
    }

    private static String shortTag(Tag tag) {
        String value = tag.getValue();
        return value.startsWith(Tag.PREFIX) ? "!!" + value.substring(Tag.PREFIX.length()) : value;
    }

    /** Unwinds the whole conversion: past a limit, nothing of the tree is worth keeping. */
    private static final class LimitExceeded extends RuntimeException {

        private final transient ValidationProblem problem;

        LimitExceeded(ValidationProblem problem) {
            super(problem.message(), null, false, false);
            this.problem = problem;
        }
    }
}
