package io.k0rdent.ops.contracts.deadletter;

import io.k0rdent.ops.contracts.serde.EventDecodingException;

/** Why a consumer gave up on a record. Only add constants. */
public enum DeadLetterReason {
    /** The record is not a readable event (see {@code EventDecodingException.Reason} in the message). */
    UNDECODABLE,
    /** A readable CloudEvent of a type the consumer does not know. */
    UNKNOWN_EVENT_TYPE,
    /** The event is readable but cannot be acted on (e.g. refers to state that does not exist). */
    UNPROCESSABLE,
    /** Processing failed and retries were exhausted. */
    RETRIES_EXHAUSTED,
    /** A notification destination rejected the message permanently. */
    PERMANENT_DELIVERY_FAILURE;

    /** The dead-letter reason for a record that failed to decode: unknown types are told apart from garbage. */
    public static DeadLetterReason of(EventDecodingException failure) {
        return failure.reason() == EventDecodingException.Reason.UNKNOWN_TYPE ? UNKNOWN_EVENT_TYPE : UNDECODABLE;
    }
}
