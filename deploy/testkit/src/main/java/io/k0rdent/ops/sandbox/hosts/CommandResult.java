package io.k0rdent.ops.sandbox.hosts;

/** What one command line (or one command of it) gave: exit status, standard output, standard error. */
record CommandResult(int exitStatus, String stdout, String stderr) {

    static CommandResult ok(String stdout) {
        return new CommandResult(0, stdout, "");
    }

    static CommandResult error(int status, String stderr) {
        return new CommandResult(status, "", stderr);
    }
}
