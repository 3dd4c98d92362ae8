package io.k0rdent.ops.contracts.event;

/**
 * Infrastructure could not be brought to the desired state.
 *
 * @param reason    the typed cause, for routing and dashboards
 * @param errorCode the AWS error code (e.g. {@code InsufficientInstanceCapacity}), or {@code null}
 * @param resource  the resource that failed or blocks deletion (id or kind), or {@code null}
 * @param retryable whether retrying the same request can succeed
 * @param retry     the provisioner's automatic retry: which failure in a row this is and when it tries again;
 *                  {@code null} from producers before it existed
 */
public record ProvisioningFailed(
        EventHeader header,
        FailureReason reason,
        String errorCode,
        String resource,
        String message,
        boolean retryable,
        FailureRetry retry) implements InfrastructureEvent {

    /** A failure without retry information (yet). */
    public ProvisioningFailed(EventHeader header, FailureReason reason, String errorCode, String resource,
                              String message, boolean retryable) {
        this(header, reason, errorCode, resource, message, retryable, null);
    }

    public ProvisioningFailed withRetry(FailureRetry newRetry) {
        return new ProvisioningFailed(newRetry == null ? header : newRetry.identify(header), reason, errorCode,
                resource, message, retryable, newRetry);
    }

    /** Why provisioning failed. Only add constants. */
    public enum FailureReason {
        THROTTLED,
        QUOTA_EXCEEDED,
        INSUFFICIENT_CAPACITY,
        INVALID_PARAMETER,
        DEPENDENCY_VIOLATION,
        AUTHORIZATION,
        TIMEOUT,
        AWS_ERROR,
        INTERNAL
    }
}
