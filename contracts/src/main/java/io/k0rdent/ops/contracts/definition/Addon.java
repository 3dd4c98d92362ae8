package io.k0rdent.ops.contracts.definition;

/** An add-on switch. */
public record Addon(boolean enabled) {

    public static final Addon DISABLED = new Addon(false);
}
