package io.k0rdent.ops.support.telemetry;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * W3C trace context ({@code traceparent}, {@code tracestate}) carried in Kafka record headers.
 *
 * <p>It always uses the W3C propagator rather than the one the installed {@code OpenTelemetry} offers: without an
 * SDK that one is a no-op, and a service running without tracing would then cut every trace that passes through it.
 * With the W3C propagator and the API's no-op tracer, the incoming span context is handed on unchanged.
 */
public final class KafkaTraceContext {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    private static final TextMapPropagator PROPAGATOR = W3CTraceContextPropagator.getInstance();

    private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            List<String> keys = new ArrayList<>();
            for (Header header : carrier) {
                keys.add(header.key());
            }
            return keys;
        }

        @Override
        public String get(Headers carrier, String key) {
            if (carrier == null) {
                return null;
            }
            Header header = carrier.lastHeader(key);
            return header == null || header.value() == null ? null
                    : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private static final TextMapSetter<Headers> SETTER = (carrier, key, value) -> {
        if (carrier != null) {
            // Replace, never add: a record that is re-sent (a replay, a retry) must carry one parent, not two.
            carrier.remove(key);
            carrier.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    };

    private KafkaTraceContext() {
    }

    /** {@code parent} with the span context found in {@code headers}, or {@code parent} itself when there is none. */
    public static Context extract(Context parent, Headers headers) {
        return headers == null ? parent : PROPAGATOR.extract(parent, headers, GETTER);
    }

    /** Writes {@code context}'s span context into {@code headers}, replacing any already there. */
    public static void inject(Context context, Headers headers) {
        PROPAGATOR.inject(context, headers, SETTER);
    }

    /** The W3C getter over Kafka headers, for callers that hold another propagator. */
    public static TextMapGetter<Headers> getter() {
        return GETTER;
    }
}
