package io.k0rdent.ops.sandbox.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;

/** A simulated host takes its key from user-data as cloud-init does, and only a consistent P-256 key. */
class CloudInitHostKeyTest {

    private static KeyPair ecKey(String curve) throws Exception {
        // BouncyCastle's keys encode as complete SEC 1 (curve and public point), as the provisioner writes them.
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    private static String cloudConfig(KeyPair privateHalf, KeyPair publicHalf) throws Exception {
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(privateHalf);
        }
        StringBuilder text = new StringBuilder("#cloud-config\nssh_deletekeys: true\nssh_keys:\n  ecdsa_private: |\n");
        pem.toString().lines().forEach(l -> text.append("    ").append(l).append('\n'));
        return text.append("  ecdsa_public: ").append(PublicKeyEntry.toString(publicHalf.getPublic())).append('\n')
                .toString();
    }

    @Test
    void aCloudConfigHostKeyIsTheHostsKey() throws Exception {
        KeyPair key = ecKey("secp256r1");

        KeyPair read = CloudInitHostKey.from(cloudConfig(key, key)).orElseThrow();

        assertThat(HostKeys.fingerprint(read.getPublic())).isEqualTo(HostKeys.fingerprint(key.getPublic()));
    }

    @Test
    void withoutAHostKeyTheHostGeneratesItsOwn() {
        assertThat(CloudInitHostKey.from(null)).isEmpty();
        assertThat(CloudInitHostKey.from("#!/bin/sh\necho hello\n")).isEmpty();
        assertThat(CloudInitHostKey.from("#cloud-config\npackages: [curl]\n")).isEmpty();
    }

    @Test
    void aKeyCloudInitWouldNotInstallFailsTheBoot() throws Exception {
        assertThatThrownBy(() -> CloudInitHostKey.from(cloudConfig(ecKey("secp256r1"), ecKey("secp256r1"))))
                .hasMessageContaining("does not belong");
        assertThatThrownBy(() -> CloudInitHostKey.from(cloudConfig(ecKey("secp384r1"), ecKey("secp384r1"))))
                .hasMessageContaining("P-256");
        assertThatThrownBy(() -> CloudInitHostKey.from("#cloud-config\nssh_keys:\n  ecdsa_private: not a key\n"))
                .hasMessageContaining("ecdsa_private");
    }
}
