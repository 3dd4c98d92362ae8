package io.k0rdent.ops.provisioner.aws;

import io.k0rdent.ops.support.telemetry.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;

/**
 * Counts {@code k0rdent.ec2.calls{action,outcome}} per HTTP attempt, from the AWS SDK's own per-call metrics. Per
 * attempt, not per call, because the SDK retries a throttled request by itself: counted per call, a throttle that a
 * retry absorbed would never show, and throttling is exactly what the dashboard has to see before it fails calls.
 */
public final class Ec2CallMetrics implements MetricPublisher {

    static final String SUCCESS = "success";
    static final String THROTTLED = "throttled";
    static final String ERROR = "error";
    // SdkErrorType.THROTTLING's name; the SDK classifies RequestLimitExceeded and Throttling as this.
    private static final String SDK_THROTTLING = "Throttling";

    private final MeterRegistry meters;

    public Ec2CallMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public void publish(MetricCollection call) {
        String action = first(call.metricValues(CoreMetric.OPERATION_NAME), "unknown");
        List<MetricCollection> attempts = call.children().stream()
                .filter(child -> "ApiCallAttempt".equals(child.name())).toList();
        if (attempts.isEmpty()) {
            count(action, outcome(first(call.metricValues(CoreMetric.ERROR_TYPE), null)));
        }
        for (MetricCollection attempt : attempts) {
            count(action, outcome(first(attempt.metricValues(CoreMetric.ERROR_TYPE), null)));
        }
    }

    private void count(String action, String outcome) {
        Counter.builder(MetricNames.EC2_CALLS).tags("action", action, "outcome", outcome).register(meters).increment();
    }

    static String outcome(String sdkErrorType) {
        if (sdkErrorType == null) {
            return SUCCESS;
        }
        return SDK_THROTTLING.equals(sdkErrorType) ? THROTTLED : ERROR;
    }

    /** The outcome of a call that failed for good. */
    static String outcome(Throwable failure) {
        if (failure instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            String code = aws.awsErrorDetails().errorCode();
            if ("RequestLimitExceeded".equals(code) || "Throttling".equals(code) || aws.isThrottlingException()) {
                return THROTTLED;
            }
        }
        return ERROR;
    }

    private static <T> T first(List<T> values, T otherwise) {
        return values.isEmpty() ? otherwise : values.get(0);
    }

    @Override
    public void close() {
    }
}
