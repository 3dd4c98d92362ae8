package io.k0rdent.ops.contracts.event;

/**
 * A bootstrap phase failed. A retry resumes from {@code phase}.
 *
 * @param host       the node the failure happened on, or {@code null} for cluster-wide checks
 * @param command    the remote command that failed, or {@code null}
 * @param stderrTail the last lines of its standard error, with secrets redacted
 * @param retryable  whether retrying can help (a timeout can, an unsupported architecture cannot)
 */
public record BootstrapFailed(
        EventHeader header,
        BootstrapPhase phase,
        String host,
        String command,
        String stderrTail,
        String message,
        boolean retryable) implements BootstrapEvent {
}
