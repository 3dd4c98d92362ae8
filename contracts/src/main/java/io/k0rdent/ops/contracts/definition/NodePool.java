package io.k0rdent.ops.contracts.definition;

/** One pool of identical EC2 instances. */
public record NodePool(int count, String instanceType) {
}
