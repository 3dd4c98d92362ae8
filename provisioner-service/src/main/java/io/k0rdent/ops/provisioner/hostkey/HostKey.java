package io.k0rdent.ops.provisioner.hostkey;

/**
 * One instance's SSH host key (ECDSA on NIST P-256, {@code ecdsa-sha2-nistp256}).
 *
 * @param privatePem  the private key, PEM ({@code EC PRIVATE KEY}); travels only in the instance's user-data
 * @param publicKey   the public key in OpenSSH's one-line form ({@code ecdsa-sha2-nistp256 AAAA...})
 * @param fingerprint OpenSSH's {@code SHA256:...} fingerprint of the public key: what the bootstrap service pins
 */
public record HostKey(String privatePem, String publicKey, String fingerprint) {

    @Override
    public String toString() {
        return "HostKey[" + fingerprint + "]"; // never the private half, not even in a log line
    }
}
