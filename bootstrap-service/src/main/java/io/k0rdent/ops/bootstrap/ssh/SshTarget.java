package io.k0rdent.ops.bootstrap.ssh;

/**
 * One node to open a shell on.
 *
 * @param pinnedFingerprint the host key fingerprint the provisioner reported ({@code SHA256:...}), or null
 */
public record SshTarget(String host, int port, String user, String pinnedFingerprint) {

    @Override
    public String toString() {
        return user + "@" + host + ":" + port;
    }
}
