package io.k0rdent.ops.support;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A secret value (webhook secret, Git password, Slack URL, SMTP password, signing key). It never prints
 * itself, so a stray log statement, exception message or a record's generated {@code toString()} cannot leak it.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** A secret from its text; surrounding whitespace (the newline at the end of a secret file) is dropped. */
    public static Secret of(String text) {
        return new Secret(Objects.requireNonNull(text, "text").strip());
    }

    /** The secret itself; call only where it is used, never to log. */
    public String reveal() {
        return value;
    }

    /** The secret's UTF-8 bytes, for a MAC key or a constant-time comparison; a fresh copy each call. */
    public byte[] bytes() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "****";
    }
}
