package io.k0rdent.ops.contracts.event;

/** Where a secret lives in the management cluster. Events carry references, never secret values. */
public record SecretReference(String namespace, String name) {
}
