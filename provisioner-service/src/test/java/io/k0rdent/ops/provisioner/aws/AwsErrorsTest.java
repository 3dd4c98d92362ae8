package io.k0rdent.ops.provisioner.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.event.ProvisioningFailed.FailureReason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

class AwsErrorsTest {

    @ParameterizedTest
    @CsvSource({
            "RequestLimitExceeded, 503, THROTTLED, true",
            "InsufficientInstanceCapacity, 500, INSUFFICIENT_CAPACITY, true",
            "InstanceLimitExceeded, 400, QUOTA_EXCEEDED, false",
            "VpcLimitExceeded, 400, QUOTA_EXCEEDED, false",
            "TooManyLoadBalancers, 400, QUOTA_EXCEEDED, false",
            "DependencyViolation, 400, DEPENDENCY_VIOLATION, true",
            "UnauthorizedOperation, 403, AUTHORIZATION, false",
            "InvalidAMIID.NotFound, 400, INVALID_PARAMETER, false",
            "IdempotentParameterMismatch, 400, INVALID_PARAMETER, false",
            "InternalError, 500, AWS_ERROR, true",
            "Unavailable, 503, AWS_ERROR, true",
            "SomethingNew, 400, AWS_ERROR, false"})
    void mapsErrorCodesToReasonsAndRetryability(String code, int status, FailureReason reason, boolean retryable) {
        AwsServiceException e = AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build()).build();
        Ec2Failure failure = AwsErrors.classify(e, "RunInstances worker/2");
        assertThat(failure.reason()).isEqualTo(reason);
        assertThat(failure.retryable()).isEqualTo(retryable);
        assertThat(failure.errorCode()).isEqualTo(code);
        assertThat(failure.resource()).isEqualTo("RunInstances worker/2");
        assertThat(failure.getMessage()).isEqualTo("m");
    }

    @ParameterizedTest
    @CsvSource({"connection refused"})
    void noAnswerAtAllIsRetryable(String message) {
        Ec2Failure failure = AwsErrors.classify(SdkClientException.create(message), "CreateVpc");
        assertThat(failure.reason()).isEqualTo(FailureReason.AWS_ERROR);
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.errorCode()).isNull();
    }
}
