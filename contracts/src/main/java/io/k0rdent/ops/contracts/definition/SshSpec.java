package io.k0rdent.ops.contracts.definition;

/** {@code spec.ssh}: the name of the EC2 key pair installed on every node (a name, never key material). */
public record SshSpec(String keyName) {
}
