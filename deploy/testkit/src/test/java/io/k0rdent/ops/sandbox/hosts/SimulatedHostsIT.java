package io.k0rdent.ops.sandbox.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated hosts through a plain MINA SSH client. */
class SimulatedHostsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private KeyPair key;
    private SimulatedHosts hosts;
    private SshClient client;

    @BeforeEach
    void start() throws Exception {
        key = ecKey();
        hosts = SimulatedHosts.start(HostsOptions.authorizing(key.getPublic()));
        client = SshClient.setUpDefaultClient();
        client.start();
    }

    @AfterEach
    void stop() throws Exception {
        client.stop();
        hosts.close();
    }

    private static KeyPair ecKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private ClientSession login(SimulatedHost host, KeyPair identity, AtomicReference<String> presentedKey) throws Exception {
        client.setServerKeyVerifier((session, remote, serverKey) -> {
            presentedKey.set(KeyUtils.getFingerPrint(BuiltinDigests.sha256, serverKey));
            return true;
        });
        ClientSession session = client.connect(host.user(), host.address(), hosts.port()).verify(TIMEOUT).getSession();
        session.addPublicKeyIdentity(identity);
        session.auth().verify(TIMEOUT);
        return session;
    }

    private static String[] run(ClientSession session, String line, String stdin) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ChannelExec channel = session.createExecChannel(line)) {
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(TIMEOUT);
            try (OutputStream in = channel.getInvertedIn()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), TIMEOUT.toMillis());
            return new String[] {String.valueOf(channel.getExitStatus()), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8)};
        }
    }

    @Test
    void eachHostHasItsOwnLoopbackAddressHostKeyAndFacts() throws Exception {
        SimulatedHost a = hosts.addHost("node-a", "ubuntu");
        SimulatedHost b = hosts.addHost("node-b", "ubuntu").machine("aarch64");
        assertThat(a.address()).isNotEqualTo(b.address()).startsWith("127.");
        assertThat(a.hostKeyFingerprint()).isNotEqualTo(b.hostKeyFingerprint());

        AtomicReference<String> presented = new AtomicReference<>();
        try (ClientSession session = login(b, key, presented)) {
            assertThat(presented.get()).isEqualTo(b.hostKeyFingerprint());
            assertThat(run(session, "hostname", null)).containsExactly("0", "node-b\n", "");
            assertThat(run(session, "uname -m", null)).containsExactly("0", "aarch64\n", "");
            assertThat(run(session, "k0s version", null)[0]).isEqualTo("127");
        }
    }

    @Test
    void filesAreWrittenThroughStandardInputAndK0sInstallsFromTheSimulatedDownload() throws Exception {
        SimulatedHost host = hosts.addHost("node-a", "ubuntu");
        try (ClientSession session = login(host, key, new AtomicReference<>())) {
            assertThat(run(session, "sudo -n install -D -m 0600 /dev/stdin /etc/k0s/k0s.yaml", "kind: ClusterConfig\n")[0])
                    .isEqualTo("0");
            assertThat(run(session, "sudo -n cat /etc/k0s/k0s.yaml", null)[1]).isEqualTo("kind: ClusterConfig\n");
            assertThat(run(session, "sudo -n curl -sSfL -o /usr/local/bin/k0s.download "
                    + "https://github.com/k0sproject/k0s/releases/download/v1.28.3+k0s.0/k0s-v1.28.3+k0s.0-amd64"
                    + " && sudo -n chmod 0755 /usr/local/bin/k0s.download"
                    + " && sudo -n mv -f /usr/local/bin/k0s.download /usr/local/bin/k0s", null)[0]).isEqualTo("0");
            assertThat(run(session, "k0s version", null)[1]).isEqualTo("v1.28.3+k0s.0\n");
            assertThat(run(session, "echo $(reboot)", null)[0]).isEqualTo("2");
        }
        assertThat(host.commands()).extracting(CommandRecord::exitStatus).containsExactly(0, 0, 0, 0, 2);
    }

    @Test
    void aKeyThatIsNotAuthorizedCannotLogIn() throws Exception {
        SimulatedHost host = hosts.addHost("node-a", "ubuntu");
        KeyPair stranger = ecKey();
        assertThatThrownBy(() -> login(host, stranger, new AtomicReference<>()).close()).hasMessageContaining("authentication");
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void aRemovedHostNoLongerAnswersWhileOthersDo() throws Exception {
        SimulatedHost gone = hosts.addHost("node-a", "ubuntu");
        SimulatedHost staying = hosts.addHost("node-b", "ubuntu");

        hosts.removeHost(gone);

        assertThatThrownBy(() -> login(gone, key, new AtomicReference<>()).close()).isInstanceOf(Exception.class);
        try (ClientSession session = login(staying, key, new AtomicReference<>())) {
            assertThat(run(session, "hostname", null)[1]).isEqualTo("node-b\n");
        }
    }

    @Test
    void injectedFaultsFailTheNextMatchingCommands() throws Exception {
        SimulatedHost host = hosts.addHost("node-a", "ubuntu").fail(new Fault("uname", 1, "uname: broken\n", 1));
        try (ClientSession session = login(host, key, new AtomicReference<>())) {
            assertThat(run(session, "uname -m", null)).containsExactly("1", "", "uname: broken\n");
            assertThat(run(session, "uname -m", null)[0]).isEqualTo("0");
        }
    }
}
