package io.k0rdent.ops.bootstrap.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.bootstrap.config.BootstrapProperties;
import io.k0rdent.ops.bootstrap.support.BootstrapSandbox;
import io.k0rdent.ops.contracts.event.BootstrapFailed;
import io.k0rdent.ops.contracts.event.BootstrapPhase;
import io.k0rdent.ops.contracts.event.ClusterReady;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 3: the service holds private keys by key pair name. A definition naming a key pair it does not hold
 * fails at once, naming it (before, that was an SSH timeout on every node); a node is offered only its key pair's key.
 */
class NamedKeysIT {

    @TempDir
    Path keys;

    private BootstrapSandbox sandbox;

    @BeforeEach
    void start() {
        sandbox = new BootstrapSandbox();
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private static void writeOtherKey(Path file) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair other = generator.generateKeyPair();
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(other, "other", null, out);
        }
    }

    private BootstrapProperties namedKeys() {
        BootstrapProperties base = sandbox.properties();
        BootstrapProperties.Ssh ssh = base.ssh();
        return new BootstrapProperties(base.parallelism(), base.nodeParallelism(), base.maxRecordAttempts(),
                new BootstrapProperties.Ssh(null, null, false, ssh.connectTimeout(), ssh.commandTimeout(), true, null,
                        null, Duration.ofSeconds(3), keys, null),
                base.k0s(), base.verify(), base.kubeconfig(), base.topics());
    }

    @Test
    void aNodeGetsItsKeyPairsKeyAndAnUnknownKeyPairFailsAtOnceNamingIt() throws Exception {
        Files.copy(sandbox.keyFile(), keys.resolve("k0rdent.pem"));
        writeOtherKey(keys.resolve("ci"));
        var bootstrapper = sandbox.bootstrapper(namedKeys());

        BootstrapSandbox.Cluster known = sandbox.cluster("named", 1, 1);
        assertThat(bootstrapper.bootstrap(BootstrapSandbox.provisioned(known, BootstrapSandbox.VERSION, 1, "k0rdent")))
                .isInstanceOf(ClusterReady.class);

        BootstrapSandbox.Cluster unknown = sandbox.cluster("unnamed", 1, 1);
        assertThat(bootstrapper.bootstrap(BootstrapSandbox.provisioned(unknown, BootstrapSandbox.VERSION, 1, "elsewhere")))
                .isInstanceOfSatisfying(BootstrapFailed.class, failed -> {
                    assertThat(failed.phase()).isEqualTo(BootstrapPhase.CONNECT);
                    assertThat(failed.retryable()).isFalse();
                    assertThat(failed.message()).contains("no private key for the EC2 key pair 'elsewhere'")
                            .contains("it holds ci, k0rdent");
                });
        assertThat(unknown.host(0).commands()).as("nothing was tried on the nodes").isEmpty();
    }

    @Test
    void onlyTheNamedKeyIsOffered() throws Exception {
        // The key the nodes accept is held, but under another key pair's name.
        writeOtherKey(keys.resolve("k0rdent"));
        Files.copy(sandbox.keyFile(), keys.resolve("spare.pem"));
        var bootstrapper = sandbox.bootstrapper(namedKeys());

        BootstrapSandbox.Cluster cluster = sandbox.cluster("offered", 1, 1);
        assertThat(bootstrapper.bootstrap(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1, "k0rdent")))
                .isInstanceOfSatisfying(BootstrapFailed.class, failed -> {
                    assertThat(failed.phase()).isEqualTo(BootstrapPhase.CONNECT);
                    assertThat(failed.retryable()).as("a refused key is final").isFalse();
                });
    }
}
