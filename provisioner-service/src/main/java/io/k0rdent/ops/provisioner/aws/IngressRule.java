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

    /** For people: {@code tcp/6443}, {@code tcp/30000-32767}, {@code protocol 4}. */
    public static String describe(String protocol, int fromPort, int toPort) {
        if (fromPort < 0) {
            return "-1".equals(protocol) ? "all traffic" : "protocol " + protocol;
        }
        return protocol + "/" + (fromPort == toPort ? Integer.toString(fromPort) : fromPort + "-" + toPort);
    }

    /**
     * A rule as EC2 reports it: the source (for an outbound rule, the destination) is a CIDR or a group id
     * ({@code sg-...}).
     */
    public record Observed(String protocol, int fromPort, int toPort, String source) {

        /** Reads {@link IngressRule#key(String, int, int, String)}'s form back; an IPv6 source has colons too. */
        public static Observed parse(String key) {
            int first = key.indexOf(':');
            int second = key.indexOf(':', first + 1);
            String ports = key.substring(first + 1, second);
            // "from-to" where either may be -1: "-1--1", "22-22".
            int dash = ports.indexOf('-', 1);
            return new Observed(key.substring(0, first), Integer.parseInt(ports.substring(0, dash)),
                    Integer.parseInt(ports.substring(dash + 1)), key.substring(second + 1));
        }

        public boolean fromGroup() {
            return source.startsWith("sg-");
        }

        /** An IPv6 range ({@code ::/0}): EC2 keeps those apart from the IPv4 ranges. */
        public boolean ipv6() {
            return source.contains(":");
        }

        public String key() {
            return IngressRule.key(protocol, fromPort, toPort, source);
        }
    }
}
