package io.k0rdent.ops.bootstrap.k0s;

/**
 * What a remote command returned.
 *
 * @param exitStatus the exit status, or -1 when the channel closed without one
 */
public record CommandResult(int exitStatus, String stdout, String stderr) {

    public boolean ok() {
        return exitStatus == 0;
    }
}
