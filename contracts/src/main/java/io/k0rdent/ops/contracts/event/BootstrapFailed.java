package io.k0rdent.ops.contracts.event;

/**
 * A bootstrap phase failed. A retry resumes from {@code phase}.
 *
 * @param host       the node the failure happened on, or {@code null} for cluster-wide checks
 * @param command    the remote command that failed, or {@code null}
 * @param stderrTail the last lines of its standard error, with secrets redacted
 * @param retryable  whether retrying can help (a timeout can, an unsupported architecture cannot)
 * @param retry      the bootstrap service's automatic retry: which failure in a row this is and when it tries again;
 *                   {@code null} from producers before it existed
 */
public record BootstrapFailed(
        EventHeader header,
        BootstrapPhase phase,
        String host,
        String command,
        String stderrTail,
        String message,
        boolean retryable,
        FailureRetry retry) implements BootstrapEvent {

    /** A failure without retry information (yet). */
    public BootstrapFailed(EventHeader header, BootstrapPhase phase, String host, String command, String stderrTail,
                           String message, boolean retryable) {
        this(header, phase, host, command, stderrTail, message, retryable, null);
    }

    public BootstrapFailed withRetry(FailureRetry newRetry) {
        return new BootstrapFailed(newRetry == null ? header : newRetry.identify(header), phase, host, command,
                stderrTail, message, retryable, newRetry);
    }
}
