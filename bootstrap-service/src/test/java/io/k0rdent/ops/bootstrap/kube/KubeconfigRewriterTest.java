package io.k0rdent.ops.bootstrap.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KubeconfigRewriterTest {

    private static final String KUBECONFIG = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: local
              cluster:
                server: https://10.0.1.10:6443
                certificate-authority-data: Q0EK
            users:
            - name: admin
              user:
                client-key-data: S0VZCg==
            """;

    @Test
    void pointsEveryClusterAtTheExternalAddressAndKeepsTheRest() {
        String rewritten = KubeconfigRewriter.pointAt(KUBECONFIG, "203.0.113.10", 6443);
        assertThat(KubeconfigRewriter.server(rewritten)).isEqualTo("https://203.0.113.10:6443");
        assertThat(rewritten).contains("certificate-authority-data: Q0EK", "client-key-data: S0VZCg==");
    }

    @Test
    void refusesTextThatIsNotAKubeconfigWithoutQuotingIt() {
        assertThatThrownBy(() -> KubeconfigRewriter.pointAt("secret-material: x", "h", 1))
                .hasMessageNotContaining("secret-material");
    }
}
