package io.k0rdent.ops.provisioner.aws;

import io.k0rdent.ops.contracts.event.ProvisioningFailed.FailureReason;

/**
 * An EC2 call that failed after the SDK's retries, typed for the {@code ProvisioningFailed} event.
 *
 * @see AwsErrors
 */
public final class Ec2Failure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final FailureReason reason;
    private final String errorCode;
    private final String resource;
    private final boolean retryable;

    public Ec2Failure(FailureReason reason, String errorCode, String resource, String message, boolean retryable,
                      Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.errorCode = errorCode;
        this.resource = resource;
        this.retryable = retryable;
    }

    public FailureReason reason() {
        return reason;
    }

    /** The AWS error code, or {@code null} when there was no AWS answer (network, waiter timeout). */
    public String errorCode() {
        return errorCode;
    }

    /** The failed operation and resource, e.g. {@code DeleteVpc vpc-0abc} or {@code RunInstances worker/2}. */
    public String resource() {
        return resource;
    }

    public boolean retryable() {
        return retryable;
    }
}
