package io.k0rdent.ops.sandbox.kafka;

/** A Kafka broker could not be started or reached. The message says why and what to do about it. */
public class KafkaBrokerException extends RuntimeException {

    /** @param message what failed, including anything that helps to fix it (e.g. the broker log's tail) */
    public KafkaBrokerException(String message) {
        super(message);
    }

    /**
     * @param message what failed
     * @param cause   the underlying failure
     */
    public KafkaBrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
