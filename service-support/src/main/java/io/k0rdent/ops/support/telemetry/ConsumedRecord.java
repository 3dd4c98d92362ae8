package io.k0rdent.ops.support.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

/**
 * The telemetry of one consumed record while it is handled (see {@link EventTelemetry#consume}): its span is
 * current and its log fields are set until {@link #close()}, which must run on the same thread.
 */
public final class ConsumedRecord implements AutoCloseable {

    private final EventTelemetry telemetry;
    private final String topic;
    private final String type;
    private final Span span;
    private final Scope scope;
    private final LogFields fields;

    ConsumedRecord(EventTelemetry telemetry, String topic, String type, Span span, Scope scope, LogFields fields) {
        this.telemetry = telemetry;
        this.topic = topic;
        this.type = type;
        this.span = span;
        this.scope = scope;
        this.fields = fields;
    }

    public Span span() {
        return span;
    }

    /** Adds what only the decoded event knows (the generation) to the span and the log fields. */
    public ConsumedRecord event(String cluster, long generation) {
        span.setAttribute(EventTelemetry.CLUSTER, cluster);
        span.setAttribute(EventTelemetry.GENERATION, generation);
        fields.put(LogFields.CLUSTER, cluster).put(LogFields.GENERATION, generation);
        return this;
    }

    /**
     * Counts one {@code k0rdent.events.failed} with {@code reason} (a dead-letter reason, or {@code retry}) and marks
     * the span as an error.
     */
    public void failed(String reason, Throwable error) {
        telemetry.failed(topic, type, reason);
        if (error != null) {
            span.recordException(error);
        }
        span.setStatus(StatusCode.ERROR, reason);
    }

    @Override
    public void close() {
        try {
            span.end();
            scope.close();
        } finally {
            fields.close();
        }
    }
}
