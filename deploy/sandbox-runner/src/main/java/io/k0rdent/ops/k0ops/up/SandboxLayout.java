package io.k0rdent.ops.k0ops.up;

import java.nio.file.Path;

/**
 * Where things are and which ports to use.
 *
 * @param stateDir       e.g. {@code ./.k0ops}
 * @param gitopsDir      the user's clone, e.g. {@code ./gitops}
 * @param repositoryRoot the checkout the services' classpaths come from
 * @param kafkaPort      the broker's port (9092 for {@code k0ops up}; 0 picks a free one)
 * @param smtpPort       the mail server's port (0 picks a free one)
 */
public record SandboxLayout(Path stateDir, Path gitopsDir, Path repositoryRoot, int kafkaPort, int smtpPort) {

    public SandboxLayout {
        stateDir = stateDir.toAbsolutePath().normalize();
        gitopsDir = gitopsDir.toAbsolutePath().normalize();
        repositoryRoot = repositoryRoot.toAbsolutePath().normalize();
    }

    public Path logDir() {
        return stateDir.resolve("logs");
    }

    public Path mailDir() {
        return stateDir.resolve("mail");
    }

    public Path slackLog() {
        return stateDir.resolve("slack").resolve("messages.jsonl");
    }
}
