package io.k0rdent.ops.sandbox.hosts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Optional;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * What cloud-init's {@code cc_ssh} module does with a host key in user-data, for a simulated host: a cloud-config
 * ({@code #cloud-config}) with {@code ssh_keys.ecdsa_private} becomes the host's key. Anything else (no user-data,
 * a script, a cloud-config without host keys) leaves the host to generate its own at first boot, as an EC2 instance
 * does. A key cloud-init would reject (not PEM, not P-256, its public half not matching {@code ecdsa_public}) fails
 * the boot here, loudly: on EC2 the instance would come up without the key the product pinned.
 */
public final class CloudInitHostKey {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final org.bouncycastle.asn1.x9.X9ECParameters P256 = ECNamedCurveTable.getByName("secp256r1");
    private static final BigInteger P256_ORDER = P256.getN();

    private CloudInitHostKey() {
    }

    /** The host key {@code userData} installs, if it installs one. */
    public static Optional<KeyPair> from(String userData) {
        if (userData == null || !userData.startsWith("#cloud-config")) {
            return Optional.empty();
        }
        JsonNode config;
        try {
            config = YAML.readTree(userData);
        } catch (IOException e) {
            throw new IllegalArgumentException("user-data is not a valid cloud-config: " + e.getMessage(), e);
        }
        JsonNode privatePem = config == null ? null : config.path("ssh_keys").get("ecdsa_private");
        if (privatePem == null || !privatePem.isTextual()) {
            return Optional.empty();
        }
        KeyPair pair = parse(privatePem.asText());
        JsonNode publicLine = config.path("ssh_keys").get("ecdsa_public");
        if (publicLine != null && !publicLine.asText().isBlank()) {
            String advertised = publicLine.asText().trim().split("\\s+")[1];
            String actual = PublicKeyEntry.toString(pair.getPublic()).split("\\s+")[1];
            if (!advertised.equals(actual)) {
                throw new IllegalArgumentException("ssh_keys.ecdsa_public does not belong to ssh_keys.ecdsa_private");
            }
        }
        return Optional.of(pair);
    }

    private static KeyPair parse(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object read = parser.readObject();
            if (!(read instanceof PEMKeyPair keyPair)) {
                throw new IllegalArgumentException("ssh_keys.ecdsa_private is not a PEM EC private key");
            }
            // SEC 1 makes the public point optional; OpenSSL (and so sshd) computes it when it is absent.
            java.security.PrivateKey key = new JcaPEMKeyConverter().getPrivateKey(keyPair.getPrivateKeyInfo());
            if (!(key instanceof ECPrivateKey ec) || !P256_ORDER.equals(ec.getParams().getOrder())) {
                throw new IllegalArgumentException("ssh_keys.ecdsa_private is not on NIST P-256");
            }
            org.bouncycastle.math.ec.ECPoint q = P256.getG().multiply(ec.getS()).normalize();
            java.security.PublicKey publicKey = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                    new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()),
                    ec.getParams()));
            return new KeyPair(publicKey, key);
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("ssh_keys.ecdsa_private cannot be read: " + e.getMessage(), e);
        }
    }
}
