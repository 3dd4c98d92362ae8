package io.k0rdent.ops.provisioner.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.support.telemetry.MetricNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.metrics.MetricCollector;

class Ec2CallMetricsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Ec2CallMetrics metrics = new Ec2CallMetrics(meters);

    @Test
    void eachAttemptIsCountedAndAThrottledOneAsThrottled() {
        MetricCollector call = MetricCollector.create("ApiCall");
        call.reportMetric(CoreMetric.OPERATION_NAME, "RunInstances");
        call.createChild("ApiCallAttempt").reportMetric(CoreMetric.ERROR_TYPE, "Throttling");
        call.createChild("ApiCallAttempt").reportMetric(CoreMetric.ERROR_TYPE, "ServerError");
        call.createChild("ApiCallAttempt").reportMetric(CoreMetric.SERVICE_ID, "EC2");

        metrics.publish(call.collect());

        assertThat(count("RunInstances", "throttled")).isEqualTo(1.0);
        assertThat(count("RunInstances", "error")).isEqualTo(1.0);
        assertThat(count("RunInstances", "success")).isEqualTo(1.0);
    }

    @Test
    void aCallThatFailedForGoodOnRequestLimitExceededIsThrottled() {
        AwsServiceException throttled = AwsServiceException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("RequestLimitExceeded").build()).build();
        AwsServiceException other = AwsServiceException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InvalidParameterValue").build()).build();
        assertThat(Ec2CallMetrics.outcome(throttled)).isEqualTo("throttled");
        assertThat(Ec2CallMetrics.outcome(other)).isEqualTo("error");
    }

    private double count(String action, String outcome) {
        var counter = meters.find(MetricNames.EC2_CALLS).tags("action", action, "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }
}
