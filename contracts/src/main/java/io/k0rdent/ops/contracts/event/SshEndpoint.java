package io.k0rdent.ops.contracts.event;

/**
 * How the bootstrap service reaches a node over SSH.
 *
 * @param hostKeyFingerprint the node's SSH host key fingerprint (OpenSSH {@code SHA256:...} form) when
 *                           the provisioner knows it, so the key can be pinned; else {@code null}
 */
public record SshEndpoint(String host, int port, String user, String hostKeyFingerprint) {
}
