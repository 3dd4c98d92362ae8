package io.k0rdent.ops.sandbox.hosts;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;

/** The simulated hosts' SSH host keys: new ones, saved ones read back, and their OpenSSH fingerprints. */
final class HostKeys {

    private HostKeys() {
    }

    /** A new P-256 (secp256r1) host key. */
    static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate EC keys", e);
        }
    }

    /** A key saved as base64 PKCS#8 (private) and X.509 (public) encodings. */
    static KeyPair fromSaved(String privateKey, String publicKey) {
        try {
            KeyFactory factory = KeyFactory.getInstance("EC");
            return new KeyPair(
                    factory.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey))),
                    factory.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(privateKey))));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a saved host key cannot be read", e);
        }
    }

    /** The OpenSSH form ({@code SHA256:...}). */
    static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
    }
}
