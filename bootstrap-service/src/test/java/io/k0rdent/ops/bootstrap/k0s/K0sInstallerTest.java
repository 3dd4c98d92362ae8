package io.k0rdent.ops.bootstrap.k0s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k0rdent.ops.bootstrap.support.BootstrapSandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class K0sInstallerTest {

    private final K0sInstaller installer = new K0sInstaller(BootstrapSandbox.properties(Path.of("/unused"), null).k0s(), true);

    @Test
    void downloadsToATemporaryFileAndMovesItIntoPlace() {
        assertThat(installer.download("1.28.3+k0s.0", "amd64").render()).isEqualTo(
                "sudo -n curl -sSfL --retry 3 -o /usr/local/bin/k0s.download "
                        + "https://github.com/k0sproject/k0s/releases/download/v1.28.3+k0s.0/k0s-v1.28.3+k0s.0-amd64"
                        + " && sudo -n chmod 0755 /usr/local/bin/k0s.download"
                        + " && sudo -n mv -f /usr/local/bin/k0s.download /usr/local/bin/k0s");
        assertThatThrownBy(() -> installer.download("1.28.3+k0s.0$(id)", "amd64")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void joinCommandsReadTheTokenFromAFile() {
        assertThat(installer.installController(true, false).render())
                .isEqualTo("sudo -n k0s install controller --force --config /etc/k0s/k0s.yaml --token-file /etc/k0s/join-token");
        assertThat(installer.installController(false, true).render())
                .isEqualTo("sudo -n k0s install controller --force --config /etc/k0s/k0s.yaml --enable-worker --no-taints");
        assertThat(installer.leaveEtcd().render()).isEqualTo("sudo -n k0s etcd leave");
        assertThat(installer.installWorker().render()).isEqualTo("sudo -n k0s install worker --force --token-file /etc/k0s/join-token");
        RemoteCommand write = installer.writeToken("TOKEN-VALUE");
        assertThat(write.render()).isEqualTo("sudo -n install -D -m 0600 /dev/stdin /etc/k0s/join-token");
        assertThat(new String(write.stdin(), StandardCharsets.UTF_8)).isEqualTo("TOKEN-VALUE");
    }

    @Test
    void readsFacts() {
        assertThat(K0sInstaller.k0sArch("x86_64\n")).contains("amd64");
        assertThat(K0sInstaller.k0sArch("aarch64")).contains("arm64");
        assertThat(K0sInstaller.k0sArch("armv7l")).contains("arm");
        assertThat(K0sInstaller.k0sArch("riscv64")).isEmpty();
        assertThat(K0sInstaller.parseVersion("v1.28.3+k0s.0\n")).contains("1.28.3+k0s.0");
        assertThat(K0sInstaller.parseVersion("garbage")).isEqualTo(Optional.empty());
        assertThat(K0sInstaller.osId("NAME=\"Ubuntu\"\nID=ubuntu\n")).contains("ubuntu");
        assertThat(K0sInstaller.osId("ID=\"rhel\"\n")).contains("rhel");
    }
}
