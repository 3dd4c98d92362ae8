package io.k0rdent.ops.k0ops.up;

import io.k0rdent.ops.k0ops.K0ops;
import picocli.CommandLine;

/**
 * The {@code k0ops} of a checkout, which the repository's {@code ./k0ops} runs: every command of the ops CLI plus
 * the sandbox's {@code up} and {@code mail}. These two live here, with the test kit they start, so that the CLI an
 * operator installs ({@code deploy/k0ops}) carries no EC2 twin, mock servers or JUnit.
 */
public final class SandboxK0ops {

    private SandboxK0ops() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The CLI's command line with {@code up} and {@code mail} listed first; tests run it with their own writers. */
    public static CommandLine commandLine() {
        return K0ops.commandLine(new UpCommand(), new MailCommand());
    }
}
