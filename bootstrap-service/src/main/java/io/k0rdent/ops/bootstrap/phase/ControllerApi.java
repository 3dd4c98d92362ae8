package io.k0rdent.ops.bootstrap.phase;

import io.k0rdent.ops.bootstrap.config.BootstrapProperties;
import io.k0rdent.ops.bootstrap.k0s.CommandResult;
import io.k0rdent.ops.bootstrap.k0s.JoinTokenId;
import io.k0rdent.ops.bootstrap.k0s.K0sInstaller;
import io.k0rdent.ops.bootstrap.k0s.RemoteCommand;
import io.k0rdent.ops.bootstrap.kube.KubeconfigRewriter;
import io.k0rdent.ops.contracts.event.BootstrapPhase;
import io.k0rdent.ops.contracts.event.ProvisionedNode;

/**
 * What several phase groups ask of the controllers: that one serves its API, the admin kubeconfig, and that a join
 * token joins nothing more.
 */
final class ControllerApi {

    private final K0sInstaller installer;
    private final BootstrapProperties.K0s k0s;
    private final BootstrapProperties.Verify verify;

    ControllerApi(K0sInstaller installer, BootstrapProperties.K0s k0s, BootstrapProperties.Verify verify) {
        this.installer = installer;
        this.k0s = k0s;
        this.verify = verify;
    }

    void awaitApi(BootstrapRun run, BootstrapPhase phase, ProvisionedNode controller) {
        RemoteCommand readyz = installer.apiReady();
        boolean up = run.await(verify.apiTimeout(), () -> {
            CommandResult r = run.run(phase, controller, readyz);
            return r.ok() && r.stdout().strip().equals("ok");
        });
        if (!up) {
            CommandResult last = run.run(phase, controller, readyz);
            throw new PhaseFailure(phase, controller.ssh().host(), readyz.toString(),
                    Redactor.tail(last.stderr(), run.secrets()),
                    "the API of " + controller.ssh().host() + " did not become ready within " + verify.apiTimeout(), true);
        }
    }

    String fetchAdminKubeconfig(BootstrapRun run, BootstrapPhase phase) {
        ProvisionedNode first = run.controllers().get(0);
        String raw = run.must(phase, first, installer.adminKubeconfig()).stdout();
        run.addSecret(raw);
        try {
            // The kubeconfig names the cluster's API address (S2: the load balancer's name, which survives
            // replacing any controller), so verification and every user go through it; older events without one
            // keep the first controller's address.
            String server = run.event().apiAddress() != null ? run.event().apiAddress() : run.externalAddress();
            String rewritten = KubeconfigRewriter.pointAt(raw, server, k0s.apiPort());
            run.addSecret(rewritten);
            return rewritten;
        } catch (RuntimeException e) {
            throw new PhaseFailure(phase, first.ssh().host(), installer.adminKubeconfig().toString(), null,
                    "the controller did not print a usable kubeconfig", true);
        }
    }

    /**
     * Invalidates a join token once its nodes have joined (k0sctl does the same), so a copy found later on a node
     * or in a backup joins nothing; its short expiry covers a crash before this.
     */
    void invalidate(BootstrapRun run, BootstrapPhase phase, String token) {
        ProvisionedNode first = run.controllers().get(0);
        String id = JoinTokenId.of(token).orElseThrow(() -> new PhaseFailure(phase, first.ssh().host(),
                null, null, "k0s printed a join token that is not a k0s join token", false));
        run.must(phase, first, installer.invalidateToken(id));
    }
}
