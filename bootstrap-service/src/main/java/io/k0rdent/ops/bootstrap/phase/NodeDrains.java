package io.k0rdent.ops.bootstrap.phase;

import io.k0rdent.ops.bootstrap.config.BootstrapProperties;
import io.k0rdent.ops.bootstrap.kube.DrainBlocked;
import io.k0rdent.ops.bootstrap.kube.WorkloadCluster;
import io.k0rdent.ops.contracts.event.BootstrapPhase;
import io.k0rdent.ops.contracts.event.ProvisionedNode;

/**
 * Cordons and drains a node as {@code kubectl drain} does (issue 15 item 6), for retirements and worker upgrades alike:
 * PodDisruptionBudgets may hold the drain up to the drain timeout; then the phase fails naming the pods and budgets,
 * retryable (a budget is often met again once a replacement pod is Ready elsewhere).
 */
final class NodeDrains {

    private final BootstrapProperties.Verify verify;

    NodeDrains(BootstrapProperties.Verify verify) {
        this.verify = verify;
    }

    /** @param purpose why, kept on the Node ({@link WorkloadCluster#CORDONED_FOR}) so a restart can finish it */
    void cordonAndDrain(BootstrapPhase phase, WorkloadCluster api, ProvisionedNode node, String hostname,
                        String purpose) {
        api.cordon(hostname, purpose);
        try {
            api.drain(hostname, verify.drainTimeout(), verify.pollInterval());
        } catch (DrainBlocked e) {
            throw new PhaseFailure(phase, node.ssh().host(), null, null, e.getMessage(), true);
        }
    }
}
