package io.k0rdent.ops.provisioner.aws;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * A CLIENT span {@code EC2 <Action>} around each EC2 call, retries included, child of whatever span is current on the
 * calling thread (the consumer span of the record being reconciled). The synchronous client runs interceptors on the
 * caller's thread, which is what makes the current span the right parent.
 */
public final class Ec2TracingInterceptor implements ExecutionInterceptor {

    static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
    static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
    static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");

    private static final ExecutionAttribute<Span> SPAN = new ExecutionAttribute<>("k0rdent.span");

    private final Tracer tracer;

    public Ec2TracingInterceptor(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String action = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        // The same interceptor serves the ELBv2 client: the span names the service the SDK says it called.
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        service = service == null || service.equalsIgnoreCase("ec2") ? "EC2" : service;
        Span span = tracer.spanBuilder(service + " " + action)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(RPC_SYSTEM, "aws-api")
                .setAttribute(RPC_SERVICE, service)
                .setAttribute(RPC_METHOD, action)
                .startSpan();
        attributes.putAttribute(SPAN, span);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        Span span = attributes.getAttribute(SPAN);
        if (span != null) {
            span.end();
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        Span span = attributes.getAttribute(SPAN);
        if (span != null) {
            // The exception text is the AWS error message (ids, codes); no credentials ever reach it.
            span.recordException(context.exception());
            span.setStatus(StatusCode.ERROR, Ec2CallMetrics.outcome(context.exception()));
            span.end();
        }
    }
}
