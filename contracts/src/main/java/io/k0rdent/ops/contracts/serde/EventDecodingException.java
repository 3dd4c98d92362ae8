package io.k0rdent.ops.contracts.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record that is not a readable k0rdent-ops event. Consumers dead-letter the record with
 * {@link #reason()} and go on; this is never a reason to stop consuming.
 */
public class EventDecodingException extends SerializationException {

    private static final long serialVersionUID = 1L;

    private final Reason reason;

    public EventDecodingException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public EventDecodingException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }

    /** Why a record could not be decoded. */
    public enum Reason {
        /** No value, or no CloudEvents headers: not something a k0rdent-ops producer wrote. */
        NOT_A_CLOUD_EVENT,
        /** A CloudEvent of a type this version does not know (e.g. from a newer producer or a stranger). */
        UNKNOWN_TYPE,
        /** The value is not JSON, or not JSON of the shape the type requires. */
        MALFORMED_PAYLOAD,
        /** Well-formed, but inconsistent with its headers or missing required fields. */
        INVALID_CONTENT
    }
}
