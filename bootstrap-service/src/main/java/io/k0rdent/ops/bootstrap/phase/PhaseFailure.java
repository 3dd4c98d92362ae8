package io.k0rdent.ops.bootstrap.phase;

import io.k0rdent.ops.contracts.event.BootstrapPhase;

/**
 * A phase could not complete. Carries everything {@code BootstrapFailed} reports; {@code stderrTail}
 * is already redacted.
 */
public final class PhaseFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final BootstrapPhase phase;
    private final String host;
    private final String command;
    private final String stderrTail;
    private final boolean retryable;

    public PhaseFailure(BootstrapPhase phase, String host, String command, String stderrTail, String message,
                        boolean retryable) {
        super(message);
        this.phase = phase;
        this.host = host;
        this.command = command;
        this.stderrTail = stderrTail;
        this.retryable = retryable;
    }

    public BootstrapPhase phase() {
        return phase;
    }

    public String host() {
        return host;
    }

    public String command() {
        return command;
    }

    public String stderrTail() {
        return stderrTail;
    }

    public boolean retryable() {
        return retryable;
    }
}
