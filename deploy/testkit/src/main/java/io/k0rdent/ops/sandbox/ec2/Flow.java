package io.k0rdent.ops.sandbox.ec2;

/**
 * One simulated network flow for {@link Ec2Emulator#reach}: from an instance or from an address outside every VPC
 * (the operator, the bootstrap service), to an address (an instance's private or public address, a load balancer's
 * DNS name or node address) or to the internet.
 *
 * @param sourceInstanceId the instance the flow starts on, or {@code null} for {@code sourceAddress}
 * @param sourceAddress    the outside address the flow starts from when {@code sourceInstanceId} is {@code null}
 * @param privatePath      whether that outside source reaches the VPCs' private addresses (through a VPN, peering or
 *                         a jump host, which the twin does not model further); from the internet it does not
 * @param destination      the address dialled, or an instance id (dialled at its public address when it has one,
 *                         else its private one); {@code null} for a host on the internet (a download)
 * @param protocol         {@code tcp}, {@code udp} or an IP protocol number such as {@code 4} (IP-in-IP)
 * @param port             the destination port (ignored for protocols without ports)
 */
public record Flow(String sourceInstanceId, String sourceAddress, boolean privatePath, String destination,
                   String protocol, int port) {

    public static Flow fromInstance(String instanceId, String destination, String protocol, int port) {
        return new Flow(instanceId, null, false, destination, protocol, port);
    }

    /** From an address on the internet: it reaches public addresses only. */
    public static Flow fromInternet(String address, String destination, String protocol, int port) {
        return new Flow(null, address, false, destination, protocol, port);
    }

    /** From an operator's network that also reaches private addresses (VPN, peering, jump host). */
    public static Flow fromOperatorNetwork(String address, String destination, String protocol, int port) {
        return new Flow(null, address, true, destination, protocol, port);
    }

    /** From an instance to a host on the internet, e.g. a release download over HTTPS. */
    public static Flow toInternet(String instanceId, int port) {
        return new Flow(instanceId, null, false, null, "tcp", port);
    }

    @Override
    public String toString() {
        return (sourceInstanceId != null ? sourceInstanceId : sourceAddress) + " -> "
                + (destination == null ? "the internet" : destination) + " " + protocol
                + (hasPorts(protocol) ? "/" + port : "");
    }

    static boolean hasPorts(String protocol) {
        return protocol.equalsIgnoreCase("tcp") || protocol.equalsIgnoreCase("udp")
                || protocol.equals("6") || protocol.equals("17");
    }
}
