package io.k0rdent.ops.bootstrap.phase;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RedactorTest {

    @Test
    void removesKnownSecretsAndCredentialLikeText() {
        String stderr = "joining with H4sIAAAAAAAA/token-value-that-is-long\n"
                + "password=hunter2\n"
                + "client-key-data: LS0tLS1CRUdJTi\n"
                + "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----\n"
                + "error: context deadline exceeded";

        String tail = Redactor.tail(stderr, List.of("H4sIAAAAAAAA/token-value-that-is-long"));

        assertThat(tail).doesNotContain("H4sI", "hunter2", "LS0tLS1CRUdJTi", "MHcCAQEEIB")
                .contains("error: context deadline exceeded", "<redacted>");
    }

    @Test
    void keepsOnlyTheLastLines() {
        String stderr = IntStream.range(0, 50).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"));
        assertThat(Redactor.tail(stderr, List.of()).lines()).hasSize(Redactor.MAX_LINES).last().isEqualTo("line 49");
        assertThat(Redactor.tail("  ", List.of())).isNull();
    }
}
