package io.k0rdent.ops.gitwatcher.publish;

/** A transaction did not commit (or its outcome is unknown); the commit is processed again. */
public class PublishException extends RuntimeException {

    public PublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
