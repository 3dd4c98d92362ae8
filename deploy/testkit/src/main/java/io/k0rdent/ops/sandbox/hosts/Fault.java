package io.k0rdent.ops.sandbox.hosts;

/**
 * A failure a simulated host injects: the next {@code times} commands whose argument vector (without
 * {@code sudo -n}) starts with {@code prefix} exit with {@code exitStatus} and print {@code stderr}.
 */
public record Fault(String prefix, int exitStatus, String stderr, int times) {
}
