package io.k0rdent.ops.bootstrap.ssh;

/**
 * One node to open a shell on.
 *
 * @param pinnedFingerprint the host key fingerprint the provisioner reported ({@code SHA256:...}), or null
 * @param keyName           the EC2 key pair the node was launched with ({@code spec.ssh.keyName}): only that key is
 *                          offered; {@code null} offers every key the service holds (a node of an earlier pass)
 */
public record SshTarget(String host, int port, String user, String pinnedFingerprint, String keyName) {

    public SshTarget(String host, int port, String user, String pinnedFingerprint) {
        this(host, port, user, pinnedFingerprint, null);
    }

    @Override
    public String toString() {
        return user + "@" + host + ":" + port;
    }
}
