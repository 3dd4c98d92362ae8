package io.k0rdent.ops.bootstrap.k0s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RemoteCommandTest {

    @Test
    void rendersEveryStepQuotedAndPrivileged() {
        RemoteCommand command = RemoteCommand.of("curl", "-o", "/tmp/k0s", "https://example.com/a b")
                .andThen("chmod", "0755", "/tmp/k0s")
                .privileged(true);
        assertThat(command.render())
                .isEqualTo("sudo -n curl -o /tmp/k0s 'https://example.com/a b' && sudo -n chmod 0755 /tmp/k0s");
    }

    @Test
    void standardInputNeverAppearsInTheCommandLine() {
        RemoteCommand command = RemoteCommand.of("install", "-D", "-m", "0600", "/dev/stdin", "/etc/k0s/join-token")
                .withStdin("SECRET-TOKEN".getBytes(StandardCharsets.UTF_8));
        assertThat(command.toString()).doesNotContain("SECRET-TOKEN");
        assertThat(command.render()).doesNotContain("SECRET-TOKEN");
        assertThat(new String(command.stdin(), StandardCharsets.UTF_8)).isEqualTo("SECRET-TOKEN");
    }
}
