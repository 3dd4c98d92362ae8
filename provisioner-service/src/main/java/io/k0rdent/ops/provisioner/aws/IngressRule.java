package io.k0rdent.ops.provisioner.aws;

/**
 * One inbound security group rule: a port range from a CIDR or from another group (exactly one of them is set).
 *
 * @param protocol {@code tcp}, {@code udp}, or an IP protocol number such as {@code 4} (IP-in-IP), which has no
 *                 ports ({@code -1}, as EC2 reports them)
 */
public record IngressRule(String protocol, int fromPort, int toPort, String cidr, String sourceGroupName) {

    /** A stable text form to compare wanted with existing rules; groups by id, since EC2 reports ids. */
    public String key(java.util.Map<String, String> groupIdsByName) {
        String source = cidr != null ? cidr : groupIdsByName.get(sourceGroupName);
        return key(protocol, fromPort, toPort, source);
    }

    /** The key of an existing rule. */
    public static String key(String protocol, int fromPort, int toPort, String source) {
        return protocol + ":" + fromPort + "-" + toPort + ":" + source;
    }

    public static IngressRule fromGroup(String protocol, int port, String sourceGroupName) {
        return new IngressRule(protocol, port, port, null, sourceGroupName);
    }

    /** All traffic of an IP protocol without ports (e.g. {@code 4}, IP-in-IP) from another group. */
    public static IngressRule protocolFromGroup(String protocol, String sourceGroupName) {
        return new IngressRule(protocol, -1, -1, null, sourceGroupName);
    }

    /** Whether the protocol has ports (EC2 ignores ports for any other protocol). */
    public boolean hasPorts() {
        return fromPort >= 0;
    }

    public static IngressRule fromCidr(String protocol, int port, String cidr) {
        return new IngressRule(protocol, port, port, cidr, null);
    }
}
