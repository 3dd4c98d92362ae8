package io.k0rdent.ops.sandbox.ec2;

/** An IPv4 CIDR block, for the VPC and subnet checks EC2 makes and for handing out addresses. */
record Cidr(long base, int prefix) {

    static Cidr parse(String text) {
        try {
            String[] parts = text.split("/");
            int prefix = Integer.parseInt(parts[1]);
            String[] octets = parts[0].split("\\.");
            if (octets.length != 4 || prefix < 0 || prefix > 32) {
                throw new IllegalArgumentException(text);
            }
            long value = 0;
            for (String octet : octets) {
                int o = Integer.parseInt(octet);
                if (o < 0 || o > 255) {
                    throw new IllegalArgumentException(text);
                }
                value = (value << 8) | o;
            }
            long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
            return new Cidr(value & mask, prefix);
        } catch (RuntimeException e) {
            throw Ec2Error.client("InvalidParameterValue", "Value (" + text + ") for parameter cidrBlock is invalid. "
                    + "This is not a valid CIDR block.");
        }
    }

    long size() {
        return 1L << (32 - prefix);
    }

    boolean contains(Cidr other) {
        return other.prefix >= prefix && other.base >= base && other.base + other.size() <= base + size();
    }

    boolean overlaps(Cidr other) {
        return base < other.base + other.size() && other.base < base + size();
    }

    /** The n-th address of the block, dotted. */
    String address(long n) {
        long value = base + n;
        return ((value >> 24) & 255) + "." + ((value >> 16) & 255) + "." + ((value >> 8) & 255) + "." + (value & 255);
    }

    @Override
    public String toString() {
        return address(0) + "/" + prefix;
    }
}
