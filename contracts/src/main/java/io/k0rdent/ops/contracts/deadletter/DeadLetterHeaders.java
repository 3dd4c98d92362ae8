package io.k0rdent.ops.contracts.deadletter;

/**
 * Headers a dead-lettered record carries next to its original headers, key and value (which are kept
 * byte for byte so the record can be replayed unchanged).
 */
public final class DeadLetterHeaders {

    public static final String PREFIX = "k0rdent.dlq.";
    /** Topic the record was consumed from. */
    public static final String ORIGINAL_TOPIC = PREFIX + "original-topic";
    public static final String ORIGINAL_PARTITION = PREFIX + "original-partition";
    public static final String ORIGINAL_OFFSET = PREFIX + "original-offset";
    /** The consumer group that gave up on the record. */
    public static final String CONSUMER_GROUP = PREFIX + "consumer-group";
    /** A {@link DeadLetterReason} name. */
    public static final String REASON = PREFIX + "reason";
    /** What went wrong, for people; never a secret. */
    public static final String MESSAGE = PREFIX + "message";
    /** Class name of the exception, when there was one. */
    public static final String EXCEPTION = PREFIX + "exception";
    /** ISO-8601 instant of the failure. */
    public static final String FAILED_AT = PREFIX + "failed-at";
    /** On a replayed record: {@code <dlq topic>/<partition>/<offset>} it was replayed from. */
    public static final String REPLAYED_FROM = PREFIX + "replayed-from";

    private DeadLetterHeaders() {
    }
}
