package io.k0rdent.ops.bootstrap.k0s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class JoinTokenIdTest {

    private static String token(String kubeconfig) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(kubeconfig.getBytes(StandardCharsets.UTF_8));
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    @Test
    void theIdIsTheBootstrapTokensPartBeforeTheDot() throws Exception {
        String kubeconfig = "apiVersion: v1\nkind: Config\nclusters:\n- name: k0s\n  cluster:\n    server: https://x:6443\n"
                + "users:\n- name: kubelet-bootstrap\n  user:\n    token: abc123.0123456789abcdef\n";
        assertThat(JoinTokenId.of(token(kubeconfig))).contains("abc123");
        assertThat(JoinTokenId.of(token(kubeconfig) + "\n")).contains("abc123");
    }

    @Test
    void somethingElseHasNoId() throws Exception {
        assertThat(JoinTokenId.of("not base64 at all!")).isEmpty();
        assertThat(JoinTokenId.of(Base64.getEncoder().encodeToString("plain".getBytes(StandardCharsets.UTF_8))))
                .isEmpty();
        assertThat(JoinTokenId.of(token("users: []\n"))).isEmpty();
        assertThat(JoinTokenId.of(token("users:\n- user:\n    token: nodot\n"))).isEmpty();
    }
}
