package io.k0rdent.ops.gitwatcher.webhook;

/** A webhook body that is not a push payload we can read; answered with {@code 400}. */
public class MalformedPayloadException extends RuntimeException {

    public MalformedPayloadException(String message) {
        super(message);
    }
}
