package io.k0rdent.ops.contracts.definition;

/** {@code spec.k0s}: the k0s release to run, e.g. {@code 1.28.3+k0s.0}. */
public record K0sSpec(String version) {
}
