package io.k0rdent.ops.bootstrap.ssh;

/** Opens {@link RemoteShell}s; {@link SshGateway} is the real one. */
public interface ShellConnector {

    /**
     * @throws SshException with a {@link SshException.Kind} when the node cannot be reached, rejects
     *                      our key, or presents a host key we do not trust
     */
    RemoteShell connect(SshTarget target);
}
