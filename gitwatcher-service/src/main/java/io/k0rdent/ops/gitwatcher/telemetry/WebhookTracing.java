package io.k0rdent.ops.gitwatcher.telemetry;

import io.k0rdent.ops.support.telemetry.EventTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The SERVER span of a push webhook request: {@code POST /webhooks/<provider>}, continuing the caller's trace when the
 * request carries a {@code traceparent} header (a Git host does not; a proxy or a test may). The sync the request
 * triggers runs later on a scheduler thread and is parented on this span (see {@code SyncScheduler}).
 */
@Singleton
public class WebhookTracing {

    static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");

    private static final TextMapGetter<Function<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Function<String, String> carrier) {
            return List.of("traceparent", "tracestate");
        }

        @Override
        public String get(Function<String, String> carrier, String key) {
            return carrier == null ? null : carrier.apply(key);
        }
    };

    private final EventTelemetry telemetry;

    public WebhookTracing(EventTelemetry telemetry) {
        this.telemetry = telemetry;
    }

    /**
     * Runs {@code handler} inside the request's span.
     *
     * @param route   the route template, e.g. {@code /webhooks/github}
     * @param headers the request headers by name
     * @param status  the HTTP status the handler's answer maps to
     */
    public <T> T serve(String route, Function<String, String> headers, Supplier<T> handler,
                       Function<T, Integer> status) {
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, GETTER);
        Span span = telemetry.tracer().spanBuilder("POST " + route)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(HTTP_METHOD, "POST")
                .setAttribute(HTTP_ROUTE, route)
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            T answer = handler.get();
            int code = status.apply(answer);
            span.setAttribute(HTTP_STATUS, (long) code);
            if (code >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
            return answer;
        } catch (RuntimeException | Error e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }
}
