package io.k0rdent.ops.provisioner.hostkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.util.io.resource.PathResource;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.junit.jupiter.api.Test;

/** Host keys are derived, reproducible, readable by an SSH implementation, and their fingerprints are OpenSSH's. */
class HostKeysTest {

    private static final byte[] SEED = new byte[32];

    static {
        Arrays.fill(SEED, (byte) 7);
    }

    @Test
    void theSameTokenGivesTheSameKeyAndAnotherTokenOrSeedAnotherOne() {
        HostKeys keys = new HostKeys(SEED);
        HostKey first = keys.forToken("k0-alpha-g1-c0");

        assertThat(keys.forToken("k0-alpha-g1-c0")).isEqualTo(first);
        assertThat(keys.forToken("k0-alpha-g1-c0-a1").fingerprint()).isNotEqualTo(first.fingerprint());
        byte[] other = SEED.clone();
        other[0] = 8;
        assertThat(new HostKeys(other).forToken("k0-alpha-g1-c0").fingerprint()).isNotEqualTo(first.fingerprint());
        assertThatThrownBy(() -> new HostKeys(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anSshImplementationReadsBothHalvesAndComputesTheSameFingerprint() throws Exception {
        HostKey key = new HostKeys(SEED).forToken("k0-alpha-g1-w3");

        PublicKey advertised = PublicKeyEntry.parsePublicKeyEntry(key.publicKey())
                .resolvePublicKey(null, null, PublicKeyEntryResolver.FAILING);
        assertThat(KeyUtils.getFingerPrint(BuiltinDigests.sha256, advertised)).isEqualTo(key.fingerprint());
        Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null,
                new PathResource(java.nio.file.Path.of("host-key.pem")),
                new ByteArrayInputStream(key.privatePem().getBytes(StandardCharsets.US_ASCII)), null);
        KeyPair pair = loaded.iterator().next();
        // The private half is the one of the advertised public key: the host presents exactly what is pinned.
        assertThat(KeyUtils.getFingerPrint(BuiltinDigests.sha256, pair.getPublic())).isEqualTo(key.fingerprint());
        assertThat(key.publicKey()).startsWith("ecdsa-sha2-nistp256 ");
        assertThat(key.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void theCloudConfigInstallsOnlyThisKey() {
        HostKey key = new HostKeys(SEED).forToken("k0-alpha-g1-w3");

        String config = new String(Base64.getDecoder().decode(CloudConfig.encoded(key)), StandardCharsets.UTF_8);

        assertThat(config).startsWith("#cloud-config\n").contains("ssh_deletekeys: true\n")
                .contains("ssh_genkeytypes: []\n").contains("  ecdsa_public: " + key.publicKey() + "\n")
                .contains("    -----BEGIN EC PRIVATE KEY-----\n").doesNotContain("rsa_").doesNotContain("ed25519_");
        assertThat(config.getBytes(StandardCharsets.UTF_8).length).as("EC2's user-data limit is 16 KB")
                .isLessThan(16 * 1024);
    }
}
