package io.k0rdent.ops.support.consumer;

/**
 * A readable event that can never be acted on here (it does not belong on the topic, it refers to state that does
 * not exist): retrying cannot help, and skipping it would leave no trace, so it is dead-lettered as
 * {@code UNPROCESSABLE} at once.
 */
public class UnprocessableEventException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnprocessableEventException(String message) {
        super(message);
    }

    public UnprocessableEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
