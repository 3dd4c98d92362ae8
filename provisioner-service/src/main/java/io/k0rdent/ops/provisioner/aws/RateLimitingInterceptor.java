package io.k0rdent.ops.provisioner.aws;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Takes a token of the {@link ActionRateLimiter} before each HTTP attempt, so SDK retries count against the same
 * budget as first attempts, exactly as EC2 counts them.
 */
public final class RateLimitingInterceptor implements ExecutionInterceptor {

    private final ActionRateLimiter limiter;

    public RateLimitingInterceptor(ActionRateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        limiter.acquire(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }
}
