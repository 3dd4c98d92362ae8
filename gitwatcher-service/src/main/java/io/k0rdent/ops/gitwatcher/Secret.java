package io.k0rdent.ops.gitwatcher;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A credential value (webhook secret, Git password or token). It never prints itself, so that a
 * stray log statement or exception message cannot leak it.
 */
public final class Secret {

    private final byte[] value;

    private Secret(byte[] value) {
        this.value = value;
    }

    /** A secret from its UTF-8 text; leading and trailing whitespace (a newline at the end of a secret file) is dropped. */
    public static Secret of(String text) {
        Objects.requireNonNull(text, "text");
        return new Secret(text.strip().getBytes(StandardCharsets.UTF_8));
    }

    /** A copy of the secret's bytes, for a MAC key or a comparison. */
    public byte[] bytes() {
        return value.clone();
    }

    /** The secret as text, for client libraries that insist on a String or char[]. */
    public String reveal() {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "[secret]";
    }
}
