package io.k0rdent.ops.contracts.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class Ipv4CidrTest {

    @Test
    void parsesAndPrintsABlock() {
        Ipv4Cidr cidr = Ipv4Cidr.parse("172.31.255.0/24").orElseThrow();

        assertThat(cidr.prefix()).isEqualTo(24);
        assertThat(cidr).hasToString("172.31.255.0/24");
        assertThat(cidr.mask()).isEqualTo(0xFFFFFF00);
        assertThat(cidr.hasHostBits()).isFalse();
        assertThat(cidr.isPrivate()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0/16", "10.0.0.0", "10.0.0.256/16", "010.0.0.0/16", "10.0.0.0/33", "10.0.0.0/016",
            " 10.0.0.0/16", "10.0.0.0/16 ", "a.b.c.d/16", "10.0.0.0/-1", ""})
    void refusesAnythingButStrictDottedQuads(String text) {
        assertThat(Ipv4Cidr.parse(text)).isEmpty();
    }

    @Test
    void networkClearsHostBits() {
        Ipv4Cidr cidr = Ipv4Cidr.parse("10.0.1.7/16").orElseThrow();

        assertThat(cidr.hasHostBits()).isTrue();
        assertThat(cidr.network()).hasToString("10.0.0.0/16");
    }

    @Test
    void privateMeansEntirelyInsideAnRfc1918Range() {
        assertThat(Ipv4Cidr.parse("10.255.0.0/16").orElseThrow().isPrivate()).isTrue();
        assertThat(Ipv4Cidr.parse("192.168.0.0/16").orElseThrow().isPrivate()).isTrue();
        assertThat(Ipv4Cidr.parse("172.16.0.0/12").orElseThrow().isPrivate()).isTrue();
        assertThat(Ipv4Cidr.parse("172.0.0.0/8").orElseThrow().isPrivate()).isFalse();
        assertThat(Ipv4Cidr.parse("192.0.0.0/8").orElseThrow().isPrivate()).isFalse();
        assertThat(Ipv4Cidr.parse("11.0.0.0/16").orElseThrow().isPrivate()).isFalse();
    }

    @Test
    void overlapIsSymmetric() {
        Ipv4Cidr wide = Ipv4Cidr.parse("10.0.0.0/16").orElseThrow();
        Ipv4Cidr inside = Ipv4Cidr.parse("10.0.128.0/24").orElseThrow();
        Ipv4Cidr next = Ipv4Cidr.parse("10.1.0.0/16").orElseThrow();

        assertThat(wide.overlaps(inside)).isTrue();
        assertThat(inside.overlaps(wide)).isTrue();
        assertThat(wide.overlaps(next)).isFalse();
        assertThat(inside.isWithin(wide)).isTrue();
        assertThat(wide.isWithin(inside)).isFalse();
    }
}
