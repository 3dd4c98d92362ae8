package io.k0rdent.ops.notifier.config;

import java.util.Objects;

/**
 * A secret value (webhook URL, SMTP password, signing key) that cannot leak through {@code toString()},
 * string concatenation or a record's generated {@code toString()} into logs or events.
 */
public final class Secret {

    private final String value;

    public Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** The secret itself; call only where it is used, never to log. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "****";
    }
}
