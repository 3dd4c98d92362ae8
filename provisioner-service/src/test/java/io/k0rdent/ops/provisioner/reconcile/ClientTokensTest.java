package io.k0rdent.ops.provisioner.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.contracts.event.NodeRole;
import org.junit.jupiter.api.Test;

class ClientTokensTest {

    @Test
    void sameInputsGiveTheSameReadableToken() {
        assertThat(ClientTokens.of("dev-01", 3, NodeRole.WORKER, 2, 0)).isEqualTo("k0-dev-01-g3-w2")
                .isEqualTo(ClientTokens.of("dev-01", 3, NodeRole.WORKER, 2, 0));
        assertThat(ClientTokens.of("dev-01", 3, NodeRole.CONTROLLER, 0, 1)).isEqualTo("k0-dev-01-g3-c0-a1");
    }

    @Test
    void everyPartMakesADifference() {
        String base = ClientTokens.of("dev-01", 3, NodeRole.WORKER, 2, 0);
        assertThat(ClientTokens.of("dev-02", 3, NodeRole.WORKER, 2, 0)).isNotEqualTo(base);
        assertThat(ClientTokens.of("dev-01", 4, NodeRole.WORKER, 2, 0)).isNotEqualTo(base);
        assertThat(ClientTokens.of("dev-01", 3, NodeRole.CONTROLLER, 2, 0)).isNotEqualTo(base);
        assertThat(ClientTokens.of("dev-01", 3, NodeRole.WORKER, 1, 0)).isNotEqualTo(base);
        assertThat(ClientTokens.of("dev-01", 3, NodeRole.WORKER, 2, 1)).isNotEqualTo(base);
        // No ambiguity between "cluster-1, slot 12" and "cluster-11, slot 2".
        assertThat(ClientTokens.of("a-1", 1, NodeRole.WORKER, 12, 0))
                .isNotEqualTo(ClientTokens.of("a-11", 1, NodeRole.WORKER, 2, 0));
    }

    @Test
    void longNamesAreDigestedToAtMost64AsciiCharacters() {
        String name = "a-very-long-cluster-name-that-is-still-a-valid-dns-label-of-63ch";
        String token = ClientTokens.of(name, 123456789L, NodeRole.WORKER, 999, 3);
        assertThat(token).hasSizeLessThanOrEqualTo(ClientTokens.MAX_LENGTH).startsWith("k0-")
                .matches("[\\x21-\\x7e]+")
                .isEqualTo(ClientTokens.of(name, 123456789L, NodeRole.WORKER, 999, 3))
                .isNotEqualTo(ClientTokens.of(name, 123456789L, NodeRole.WORKER, 998, 3));
    }
}
