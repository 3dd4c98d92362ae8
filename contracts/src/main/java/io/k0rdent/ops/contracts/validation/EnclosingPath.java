package io.k0rdent.ops.contracts.validation;

import java.util.ArrayDeque;
import java.util.Deque;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Where in the document a YAML syntax error sits: the path of the mapping or sequence that was open when the parser
 * gave up, found by replaying the parser's events up to the error. A syntax error has no node, but "in
 * {@code $.spec.nodes}" says more than a line number alone when the file is long.
 */
final class EnclosingPath {

    /** One open collection: a mapping waiting for a key or a value, or a sequence counting its items. */
    private static final class Frame {
        final String path;
        final boolean mapping;
        String key;
        boolean expectingKey = true;
        int items;

        Frame(String path, boolean mapping) {
            this.path = path;
            this.mapping = mapping;
        }

        /** The path of the node that starts now, and moves this frame past it. */
        String next() {
            if (mapping) {
                if (expectingKey) {
                    expectingKey = false;
                    return null; // a key; collections as keys are refused later anyway
                }
                expectingKey = true;
                return JsonPaths.child(path, key);
            }
            return JsonPaths.index(path, items++);
        }
    }

    private EnclosingPath() {
    }

    /** The path of the innermost collection open at the syntax error; {@code $} when the error is at the top. */
    static String of(String text, LoadSettings settings) {
        Deque<Frame> open = new ArrayDeque<>();
        try {
            for (Event event : new Parse(settings).parseString(text)) {
                Frame parent = open.peek();
                switch (event.getEventId()) {
                    case MappingStart, SequenceStart -> {
                        String path = parent == null ? JsonPaths.ROOT : parent.next();
                        open.push(new Frame(path == null ? (parent == null ? JsonPaths.ROOT : parent.path) : path,
                                event.getEventId() == Event.ID.MappingStart));
                    }
                    case MappingEnd, SequenceEnd -> open.poll();
                    case Scalar, Alias -> {
                        if (parent != null) {
                            boolean isKey = parent.mapping && parent.expectingKey;
                            parent.next();
                            if (isKey && event instanceof ScalarEvent scalar) {
                                parent.key = scalar.getValue();
                            }
                        }
                    }
                    default -> {
                        // stream and document boundaries carry no path
                    }
                }
            }
        } catch (YamlEngineException expected) {
            // The error this method was called for: the frames open now say where it is.
        }
        Frame innermost = open.peek();
        return innermost == null ? JsonPaths.ROOT : innermost.path;
    }
}
