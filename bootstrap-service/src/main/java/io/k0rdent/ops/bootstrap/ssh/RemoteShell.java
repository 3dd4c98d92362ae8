package io.k0rdent.ops.bootstrap.ssh;

import io.k0rdent.ops.bootstrap.k0s.CommandResult;
import io.k0rdent.ops.bootstrap.k0s.RemoteCommand;

/** An authenticated session on one node, on which commands run one after another. */
public interface RemoteShell extends AutoCloseable {

    /** The node's address, as the event named it. */
    String host();

    /**
     * Runs a command and waits for it to finish.
     *
     * @throws SshException when the session breaks or the command does not finish in time
     */
    CommandResult run(RemoteCommand command);

    @Override
    void close();
}
