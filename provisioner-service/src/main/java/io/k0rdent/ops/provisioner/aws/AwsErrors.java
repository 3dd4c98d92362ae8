package io.k0rdent.ops.provisioner.aws;

import io.k0rdent.ops.contracts.event.ProvisioningFailed.FailureReason;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Maps EC2 errors to the typed {@link FailureReason} and to whether retrying the same request can succeed. */
public final class AwsErrors {

    private AwsErrors() {
    }

    /** The failure for an exception thrown by an EC2 call on {@code resource}. */
    public static Ec2Failure classify(SdkException e, String resource) {
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            FailureReason reason = reasonOf(code, service.statusCode());
            return new Ec2Failure(reason, code, resource, message(service), retryable(reason, service.statusCode()),
                    e);
        }
        if (e instanceof SdkClientException) {
            // No answer at all (connection refused, timeout): the request may or may not have been applied, and
            // trying again is safe because every effect is idempotent.
            return new Ec2Failure(FailureReason.AWS_ERROR, null, resource, e.getMessage(), true, e);
        }
        return new Ec2Failure(FailureReason.INTERNAL, null, resource, e.getMessage(), false, e);
    }

    /** The typed reason for an AWS error code and HTTP status. */
    public static FailureReason reasonOf(String code, int status) {
        if (code == null) {
            return status >= 500 ? FailureReason.AWS_ERROR : FailureReason.INTERNAL;
        }
        if (code.equals("RequestLimitExceeded") || code.equals("Throttling") || code.equals("ThrottlingException")) {
            return FailureReason.THROTTLED;
        }
        if (code.startsWith("Insufficient")) {
            return FailureReason.INSUFFICIENT_CAPACITY;
        }
        // ELBv2 names its quotas TooManyLoadBalancers, TooManyTargetGroups, TooManyListeners, TooManyTargets, ...
        if (code.endsWith("LimitExceeded") || code.equals("MaxSpotInstanceCountExceeded") || code.startsWith("TooMany")) {
            return FailureReason.QUOTA_EXCEEDED;
        }
        if (code.equals("DependencyViolation")) {
            return FailureReason.DEPENDENCY_VIOLATION;
        }
        if (code.equals("UnauthorizedOperation") || code.equals("AuthFailure") || code.equals("Blocked")
                || code.equals("OptInRequired") || code.equals("SignatureDoesNotMatch")) {
            return FailureReason.AUTHORIZATION;
        }
        if (status >= 500) {
            return FailureReason.AWS_ERROR;
        }
        if (code.startsWith("Invalid") || code.equals("MissingParameter") || code.equals("IdempotentParameterMismatch")
                || code.equals("UnknownParameter") || code.equals("ValidationError")) {
            return FailureReason.INVALID_PARAMETER;
        }
        return FailureReason.AWS_ERROR;
    }

    /** Capacity, throttling, dependency and server errors pass; quota, permission and parameter errors do not. */
    public static boolean retryable(FailureReason reason, int status) {
        return switch (reason) {
            case THROTTLED, INSUFFICIENT_CAPACITY, DEPENDENCY_VIOLATION, TIMEOUT -> true;
            case QUOTA_EXCEEDED, AUTHORIZATION, INVALID_PARAMETER, INTERNAL -> false;
            case AWS_ERROR -> status >= 500 || status == 0;
        };
    }

    private static String message(AwsServiceException e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                ? e.awsErrorDetails().errorMessage() : e.getMessage();
    }
}
