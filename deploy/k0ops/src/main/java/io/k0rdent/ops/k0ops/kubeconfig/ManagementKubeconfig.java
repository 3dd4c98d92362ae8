package io.k0rdent.ops.k0ops.kubeconfig;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the management cluster's kubeconfig the way kubectl does, with the sandbox's own in between. */
final class ManagementKubeconfig {

    private ManagementKubeconfig() {
    }

    /**
     * The flag, else the first file of {@code $KUBECONFIG} (kubectl merges a list; one management cluster needs
     * one), else the sandbox's kubeconfig when {@code k0ops up} runs from this directory, else {@code ~/.kube/config}.
     */
    static Path locate(Path flag, String environment, Path sandbox, Path home) {
        Path chosen;
        if (flag != null) {
            chosen = flag;
        } else if (environment != null && !environment.isBlank()) {
            chosen = Path.of(environment.split(java.io.File.pathSeparator)[0]);
        } else if (Files.isRegularFile(sandbox)) {
            chosen = sandbox;
        } else {
            chosen = home;
        }
        if (!Files.isRegularFile(chosen)) {
            throw new IllegalArgumentException("no management cluster kubeconfig at " + chosen
                    + ": pass --kubeconfig FILE or set KUBECONFIG (in the sandbox, run from the directory of "
                    + "./k0ops up)");
        }
        return chosen;
    }
}
