package io.k0rdent.ops.sandbox.ec2;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * An IPv6 CIDR as a security-group rule takes it ({@code IpPermission.Ipv6Ranges[].CidrIpv6}): an IPv6 address and a
 * prefix of 0 to 128. The twin gives no instance an IPv6 address, so these ranges are kept and listed, never matched.
 */
final class Ipv6Cidr {

    private Ipv6Cidr() {
    }

    /** The range as EC2 lists it back; {@code InvalidParameterValue} when it is no IPv6 CIDR. */
    static String parse(String text) {
        String[] parts = text.split("/", -1);
        try {
            int prefix = Integer.parseInt(parts[1]);
            // Only a literal with a colon is parsed as an address: never a name lookup.
            if (parts.length != 2 || prefix < 0 || prefix > 128 || !parts[0].contains(":")
                    || !(InetAddress.getByName(parts[0]) instanceof Inet6Address)) {
                throw new IllegalArgumentException(text);
            }
            return text.toLowerCase(Locale.ROOT);
        } catch (RuntimeException | UnknownHostException e) {
            throw Ec2Error.client("InvalidParameterValue", "CIDR block " + text + " is malformed");
        }
    }
}
