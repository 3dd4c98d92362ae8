package io.k0rdent.ops.notifier.delivery;

import io.k0rdent.ops.notifier.digest.PendingNotification;
import io.k0rdent.ops.support.telemetry.KafkaTraceContext;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The span of one send attempt, {@code <channel> send}. A message may be a digest of several events, each with its
 * own trace, and it is sent later on the destination's thread, when no consumer span is current. So the span's parent
 * is the trace context carried by the first event's record (a single-event notification, the usual case, sits in that
 * event's trace, next to the notifier's consumer span for it), and it links to every other event's context.
 */
final class SendTracing {

    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("k0rdent.notification.destination");
    static final AttributeKey<String> CHANNEL = AttributeKey.stringKey("k0rdent.notification.channel");
    static final AttributeKey<Long> EVENTS = AttributeKey.longKey("k0rdent.notification.events");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("k0rdent.notification.attempt");
    static final AttributeKey<String> CLUSTER = AttributeKey.stringKey("k0rdent.cluster");

    private SendTracing() {
    }

    static Span start(Tracer tracer, Delivery delivery, int attempt) {
        String channel = delivery.channel().name().toLowerCase(Locale.ROOT);
        SpanBuilder builder = tracer.spanBuilder(channel + " send")
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(DESTINATION, delivery.destination())
                .setAttribute(CHANNEL, channel)
                .setAttribute(EVENTS, (long) delivery.items().size())
                .setAttribute(ATTEMPT, (long) attempt);
        List<SpanContext> traces = new ArrayList<>();
        for (PendingNotification item : delivery.items()) {
            if (item.source() != null) {
                SpanContext context = Span.fromContext(
                        KafkaTraceContext.extract(Context.root(), item.source().headers())).getSpanContext();
                if (context.isValid() && !traces.contains(context)) {
                    traces.add(context);
                }
            }
        }
        if (delivery.items().size() == 1) {
            builder.setAttribute(CLUSTER, delivery.items().get(0).notice().event().header().clusterName());
        }
        if (traces.isEmpty()) {
            builder.setNoParent();
        } else {
            builder.setParent(Context.root().with(Span.wrap(traces.get(0))));
            traces.stream().skip(1).forEach(builder::addLink);
        }
        return builder.startSpan();
    }
}
