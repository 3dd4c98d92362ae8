package io.k0rdent.ops.contracts.validation;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IPv4 block written {@code a.b.c.d/prefix}. Parsing is strict (four decimal octets without
 * leading zeros, prefix 0 to 32) because an address such as {@code 010.0.0.0} means 8.0.0.0 to some
 * tools and 10.0.0.0 to others. The address part is kept as written, host bits included, so that
 * {@link #hasHostBits()} can tell the user what they meant.
 *
 * @param address the address as written, as an unsigned 32-bit value in an int
 * @param prefix  the prefix length, 0 to 32
 */
public record Ipv4Cidr(int address, int prefix) {

    /** 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16: the private ranges of RFC 1918. */
    public static final List<Ipv4Cidr> RFC_1918 = List.of(
            new Ipv4Cidr(0x0A000000, 8), new Ipv4Cidr(0xAC100000, 12), new Ipv4Cidr(0xC0A80000, 16));

    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

    public Ipv4Cidr {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix must be 0 to 32: " + prefix);
        }
    }

    /**
     * Parses {@code a.b.c.d/prefix}.
     *
     * @param text the block, not null
     * @return the block, or empty when {@code text} is not exactly an IPv4 CIDR block
     */
    public static Optional<Ipv4Cidr> parse(String text) {
        Matcher m = SYNTAX.matcher(Objects.requireNonNull(text, "text"));
        if (!m.matches()) {
            return Optional.empty();
        }
        int address = 0;
        for (int group = 1; group <= 4; group++) {
            String octet = m.group(group);
            int value = Integer.parseInt(octet);
            if (value > 255 || (octet.length() > 1 && octet.charAt(0) == '0')) {
                return Optional.empty();
            }
            address = (address << 8) | value;
        }
        String prefix = m.group(5);
        int length = Integer.parseInt(prefix);
        if (length > 32 || (prefix.length() > 1 && prefix.charAt(0) == '0')) {
            return Optional.empty();
        }
        return Optional.of(new Ipv4Cidr(address, length));
    }

    /** The netmask as an int: {@code /16} is {@code 0xFFFF0000}. */
    public int mask() {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    /** The same block with its host bits cleared, e.g. {@code 10.0.0.0/16} for {@code 10.0.1.0/16}. */
    public Ipv4Cidr network() {
        return new Ipv4Cidr(address & mask(), prefix);
    }

    /** Whether the address has bits set beyond the prefix, as in {@code 10.0.1.0/16}. */
    public boolean hasHostBits() {
        return (address & ~mask()) != 0;
    }

    /** Whether every address of this block lies in {@code other}. */
    public boolean isWithin(Ipv4Cidr other) {
        return prefix >= other.prefix && (address & other.mask()) == (other.address & other.mask());
    }

    /** Whether the two blocks share at least one address. */
    public boolean overlaps(Ipv4Cidr other) {
        int shorter = Math.min(prefix, other.prefix);
        int mask = shorter == 0 ? 0 : -1 << (32 - shorter);
        return (address & mask) == (other.address & mask);
    }

    /** Whether the block lies entirely inside one of the {@link #RFC_1918} ranges. */
    public boolean isPrivate() {
        return RFC_1918.stream().anyMatch(this::isWithin);
    }

    /** {@code a.b.c.d/prefix}, with the address as written. */
    @Override
    public String toString() {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
                + (address & 0xFF) + "/" + prefix;
    }
}
