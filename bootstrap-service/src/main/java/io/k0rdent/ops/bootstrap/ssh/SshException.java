package io.k0rdent.ops.bootstrap.ssh;

/** An SSH problem, typed so it can become a precise {@code BootstrapFailed}. */
public class SshException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Kind kind;

    public SshException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** What went wrong; decides whether a retry can help. */
    public enum Kind {
        /** Connection refused, reset or timed out: the node may still be booting. */
        UNREACHABLE(true),
        /** The node rejected our key: retrying changes nothing until the key or user is fixed. */
        AUTHENTICATION_FAILED(false),
        /** The host key differs from the pinned or known one: possibly a man in the middle. */
        HOST_KEY_MISMATCH(false),
        /** The host key is neither pinned nor known and unknown keys are not accepted. */
        HOST_KEY_UNKNOWN(false),
        /** A command did not finish in time, or the session broke while it ran. */
        COMMAND_FAILED(true);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }
}
