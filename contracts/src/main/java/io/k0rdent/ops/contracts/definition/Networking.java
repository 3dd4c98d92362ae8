package io.k0rdent.ops.contracts.definition;

/**
 * {@code spec.networking}.
 *
 * @param vpcCidr  an RFC 1918 block between /16 and /24; immutable once the cluster exists
 * @param publicIp whether nodes get public addresses behind an internet gateway
 */
public record Networking(String vpcCidr, boolean publicIp) {
}
