package io.k0rdent.ops.bootstrap.ssh;

/** Opens {@link RemoteShell}s; {@link SshGateway} is the real one. */
public interface ShellConnector {

    /**
     * @throws SshException with a {@link SshException.Kind} when the node cannot be reached, rejects
     *                      our key, or presents a host key we do not trust
     */
    RemoteShell connect(SshTarget target);

    /** Why nodes launched with the EC2 key pair {@code keyName} cannot be logged into, or empty when they can. */
    default java.util.Optional<String> missingKey(String keyName) {
        return java.util.Optional.empty();
    }
}
