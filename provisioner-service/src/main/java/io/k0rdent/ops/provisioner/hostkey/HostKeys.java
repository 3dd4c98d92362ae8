package io.k0rdent.ops.provisioner.hostkey;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Derives each instance's SSH host key from the provisioner's secret seed and the instance's {@code ClientToken}
 * (shared decision S1 in {@code DESIGN.md}). Derived, not random: a {@code RunInstances} repeated after a crash sends
 * byte-identical user-data (EC2 would otherwise answer {@code IdempotentParameterMismatch}), and the fingerprint can be
 * recomputed from the token at any time. The private scalar is HMAC-SHA256(seed, "ssh-host-key/" + token) reduced into
 * [1, n-1] of P-256; without the seed nobody can compute it.
 */
public final class HostKeys {

    /** The curve cloud-init and OpenSSH know as {@code ecdsa} / {@code ecdsa-sha2-nistp256}. */
    private static final String CURVE = "secp256r1";

    private final byte[] seed;

    /** @param seed at least 32 random bytes, kept secret (the host-key seed file) */
    public HostKeys(byte[] seed) {
        if (seed.length < 32) {
            throw new IllegalArgumentException("a host-key seed needs at least 32 bytes, found " + seed.length);
        }
        this.seed = seed.clone();
    }

    /** The host key of the instance launched with {@code clientToken}. */
    public HostKey forToken(String clientToken) {
        X9ECParameters curve = ECNamedCurveTable.getByName(CURVE);
        BigInteger order = curve.getN();
        BigInteger d = new BigInteger(1, hmac("ssh-host-key/" + clientToken))
                .mod(order.subtract(BigInteger.ONE)).add(BigInteger.ONE);
        ECPoint q = curve.getG().multiply(d).normalize();
        byte[] blob;
        try {
            blob = OpenSSHPublicKeyUtil.encodePublicKey(new ECPublicKeyParameters(q,
                    new ECDomainParameters(curve.getCurve(), curve.getG(), order, curve.getH())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode an EC public key", e);
        }
        String publicKey = "ecdsa-sha2-nistp256 " + Base64.getEncoder().encodeToString(blob);
        return new HostKey(pem(d, q, curve), publicKey, fingerprint(blob));
    }

    /** OpenSSH's fingerprint: {@code SHA256:} and the unpadded base64 of the SHA-256 of the public key blob. */
    static String fingerprint(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * SEC 1's {@code ECPrivateKey} with the curve and the public point included (OpenSSH and other SSH stacks read
     * the public key from it), as PEM {@code EC PRIVATE KEY}.
     */
    private static String pem(BigInteger d, ECPoint q, X9ECParameters curve) {
        try {
            ECPrivateKey structure = new ECPrivateKey(curve.getN().bitLength(), d,
                    new DERBitString(q.getEncoded(false)), SECObjectIdentifiers.secp256r1);
            StringWriter out = new StringWriter();
            try (PemWriter writer = new PemWriter(out)) {
                writer.writeObject(new PemObject("EC PRIVATE KEY", structure.getEncoded()));
            }
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode an EC private key", e);
        }
    }

    private byte[] hmac(String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(seed, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }
}
