package io.k0rdent.ops.provisioner.aws;

/**
 * One inbound security group rule: a port range from a CIDR or from another group (exactly one of them is set).
 *
 * @param protocol {@code tcp} or {@code udp}
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

    public static IngressRule fromCidr(String protocol, int port, String cidr) {
        return new IngressRule(protocol, port, port, cidr, null);
    }
}
