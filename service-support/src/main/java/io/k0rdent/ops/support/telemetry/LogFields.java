package io.k0rdent.ops.support.telemetry;

import io.opentelemetry.api.trace.SpanContext;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * The SLF4J MDC keys every service logs with (the logback patterns and the JSON output name them), and a scope that
 * sets some of them and restores what was there before, because pool threads outlive the record they work on.
 */
public final class LogFields implements AutoCloseable {

    public static final String CLUSTER = "cluster";
    public static final String GENERATION = "generation";
    public static final String EVENT_ID = "eventId";
    public static final String TRACE_ID = "traceId";
    public static final String SPAN_ID = "spanId";

    private final Map<String, String> previous = new HashMap<>();

    private LogFields() {
    }

    /** An empty scope; {@link #put} adds to it. */
    public static LogFields open() {
        return new LogFields();
    }

    /** Sets {@code key} for the rest of this scope; a null value leaves the key as it was. */
    public LogFields put(String key, Object value) {
        if (value == null) {
            return this;
        }
        if (!previous.containsKey(key)) {
            previous.put(key, MDC.get(key));
        }
        MDC.put(key, value.toString());
        return this;
    }

    /** Sets the trace and span id of {@code span} when it is valid (there is none with the no-op API). */
    public LogFields span(SpanContext span) {
        if (span != null && span.isValid()) {
            put(TRACE_ID, span.getTraceId());
            put(SPAN_ID, span.getSpanId());
        }
        return this;
    }

    /** Restores every key this scope set to its value before. */
    @Override
    public void close() {
        previous.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
        previous.clear();
    }
}
