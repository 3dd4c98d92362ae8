package io.k0rdent.ops.contracts.validation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Screens the parser's event stream before anything is composed. The composer recurses once per
 * nesting level, keeps whole documents, and silently applies merge keys; the event stream is flat,
 * so depth, document count, collection aliases and merge keys are checked here while memory use is
 * still constant. One instance screens one file.
 */
final class YamlEventScreen {

    private final String file;
    private final YamlLimits limits;
    private final Set<String> collectionAnchors = new HashSet<>();
    private final Deque<Frame> open = new ArrayDeque<>();
    private int documents;
    private int collectionAliases;

    YamlEventScreen(String file, YamlLimits limits) {
        this.file = file;
        this.limits = limits;
    }

    /**
     * @return the first reason to refuse the file, or empty when it may be composed
     * @throws org.snakeyaml.engine.v2.exceptions.YamlEngineException on a syntax error
     */
    Optional<ValidationProblem> screen(Iterable<Event> events) {
        for (Event event : events) {
            Optional<ValidationProblem> problem = screen(event);
            if (problem.isPresent()) {
                return problem;
            }
        }
        if (documents == 0) {
            return Optional.of(new ValidationProblem(file, 0, 0, JsonPaths.ROOT, Rule.EMPTY_DOCUMENT,
                    "file is empty: expected one YAML document"));
        }
        return Optional.empty();
    }

    private Optional<ValidationProblem> screen(Event event) {
        switch (event.getEventId()) {
            case DocumentStart -> {
                if (++documents > 1) {
                    return refuse(event, Rule.SINGLE_DOCUMENT,
                            "a cluster definition file must hold exactly one YAML document; a second one starts here");
                }
            }
            case MappingStart, SequenceStart -> {
                advance();
                ((NodeEvent) event).getAnchor().ifPresent(anchor -> collectionAnchors.add(anchor.getValue()));
                open.push(new Frame(event.getEventId() == Event.ID.MappingStart));
                if (open.size() > limits.maxNestingDepth()) {
                    return refuse(event, Rule.YAML_NESTING_DEPTH,
                            "mappings and sequences are nested deeper than " + limits.maxNestingDepth() + " levels");
                }
            }
            case MappingEnd, SequenceEnd -> open.pop();
            case Scalar -> {
                ScalarEvent scalar = (ScalarEvent) event;
                boolean key = advance();
                // An anchor name may be reused; from here on it names a scalar, which is cheap to alias.
                scalar.getAnchor().ifPresent(anchor -> collectionAnchors.remove(anchor.getValue()));
                // YAML 1.2 readers (editors, yq) take "<<" for an ordinary key while the composer merges:
                // the same file would mean two things.
                if (key && isMergeKey(scalar)) {
                    return refuse(event, Rule.YAML_SYNTAX, "merge keys (<<) are not part of YAML 1.2; write the fields out");
                }
            }
            case Alias -> {
                advance();
                boolean toCollection = collectionAnchors.contains(((AliasEvent) event).getAlias().getValue());
                if (toCollection && ++collectionAliases > limits.maxAliasesForCollections()) {
                    return refuse(event, Rule.YAML_ALIAS_BOMB, "more than " + limits.maxAliasesForCollections()
                            + " aliases to mappings or sequences; the file is refused because such aliases are how"
                            + " YAML bombs expand");
                }
            }
            default -> {
                // Stream boundaries, document ends and comments carry nothing to check.
            }
        }
        return Optional.empty();
    }

    /** Moves past one node in the enclosing collection; returns whether that node is a mapping key. */
    private boolean advance() {
        Frame frame = open.peek();
        if (frame == null || !frame.mapping) {
            return false;
        }
        boolean key = frame.keyNext;
        frame.keyNext = !key;
        return key;
    }

    /** What SnakeYAML Engine would treat as a merge key: a plain {@code <<}, or one tagged {@code !!merge}. */
    private static boolean isMergeKey(ScalarEvent scalar) {
        return scalar.getTag().map(Tag.MERGE.getValue()::equals)
                .orElse(scalar.isPlain() && "<<".equals(scalar.getValue()));
    }

    private Optional<ValidationProblem> refuse(Event event, Rule rule, String message) {
        return Optional.of(SafeYamlReader.problemAt(file, event.getStartMark(), rule, message));
    }

    /** An open collection; for a mapping, whether its next node is a key. */
    private static final class Frame {

        private final boolean mapping;
        private boolean keyNext = true;

        Frame(boolean mapping) {
            this.mapping = mapping;
        }
    }
}
