package io.k0rdent.ops.contracts.event;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic event ids. A consumer that crashes after producing but before committing its offset
 * will process the same input again; deriving the output id from the input id makes the second
 * output recognisable as a duplicate downstream instead of a new fact.
 */
public final class EventIds {

    private EventIds() {
    }

    /** A name-based UUID from the cause's id and what this reaction is (e.g. {@code "provisioned"}). */
    public static UUID derived(UUID causationId, String discriminator) {
        return UUID.nameUUIDFromBytes((causationId + "/" + discriminator).getBytes(StandardCharsets.UTF_8));
    }

    /** A name-based UUID from stable parts, e.g. repository, commit, file and cluster for Git events. */
    public static UUID fromParts(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("\u0000", parts).getBytes(StandardCharsets.UTF_8));
    }
}
