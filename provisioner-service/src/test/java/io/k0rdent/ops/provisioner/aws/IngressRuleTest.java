package io.k0rdent.ops.provisioner.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IngressRuleTest {

    @Test
    void anObservedRuleReadsItsKeyBackWhateverItsSource() {
        IngressRule.Observed v4 = IngressRule.Observed.parse(IngressRule.key("tcp", 22, 22, "192.0.2.0/24"));
        assertThat(v4).isEqualTo(new IngressRule.Observed("tcp", 22, 22, "192.0.2.0/24"));
        assertThat(v4.ipv6()).isFalse();
        assertThat(v4.fromGroup()).isFalse();

        IngressRule.Observed group = IngressRule.Observed.parse(IngressRule.key("4", -1, -1, "sg-0123456789abcdef0"));
        assertThat(group).isEqualTo(new IngressRule.Observed("4", -1, -1, "sg-0123456789abcdef0"));
        assertThat(group.fromGroup()).isTrue();
    }

    @Test
    void anIpv6SourceKeepsItsColons() {
        // The key's separator is a colon too: the source was cut at the last one, "::/0" became "/0".
        IngressRule.Observed all = IngressRule.Observed.parse(IngressRule.key("-1", -1, -1, "::/0"));
        assertThat(all).isEqualTo(new IngressRule.Observed("-1", -1, -1, "::/0"));
        assertThat(all.ipv6()).isTrue();
        assertThat(IngressRule.Observed.parse(IngressRule.key("tcp", 443, 443, "2001:db8::/32")).source())
                .isEqualTo("2001:db8::/32");
    }
}
