package io.k0rdent.ops.contracts.definition;

/**
 * {@code spec.networking}.
 *
 * @param vpcCidr             an RFC 1918 block between /16 and /24; immutable once the cluster exists
 * @param publicIp            whether nodes get public addresses behind an internet gateway
 * @param zoneRedundantEgress private clusters: one NAT gateway per zone instead of one; {@code null} when the file
 *                            does not say (the default, false)
 */
public record Networking(String vpcCidr, boolean publicIp, Boolean zoneRedundantEgress) {

    /** The form before zone-redundant egress existed. */
    public Networking(String vpcCidr, boolean publicIp) {
        this(vpcCidr, publicIp, null);
    }

    /** Whether each zone gets its own NAT gateway. */
    public boolean zoneRedundant() {
        return Boolean.TRUE.equals(zoneRedundantEgress);
    }
}
