package io.k0rdent.ops.bootstrap.phase;

import io.k0rdent.ops.contracts.event.BootstrapPhase;
import java.util.function.Consumer;

/** The phase groups of a create/update, and which of them runs each phase of {@link PhasePlan#ORDER}. */
record PhaseGroups(HostDiscovery discovery, K0sUpgrade upgrade, K0sInstallation installation,
                   ControllerConfiguration configuration, ClusterJoining joining, ClusterVerification verification) {

    /**
     * The work of {@code phase}. A switch over every constant, without a default, so a phase added to the contract
     * does not compile until it is given a group here or declared not to be one of a create/update.
     */
    Consumer<BootstrapRun> step(BootstrapPhase phase) {
        return switch (phase) {
            case CONNECT -> discovery::connect;
            case GATHER_FACTS -> discovery::gatherFacts;
            case VALIDATE_HOSTS -> discovery::validateHosts;
            case UPGRADE -> upgrade::upgrade;
            case INSTALL_K0S -> installation::install;
            case CONFIGURE -> configuration::configure;
            case INIT_CONTROLLER -> joining::initController;
            case JOIN_CONTROLLERS -> joining::joinControllers;
            case JOIN_WORKERS -> joining::joinWorkers;
            case FETCH_KUBECONFIG -> verification::fetchKubeconfig;
            case VERIFY -> verification::verifyHealthy;
            case STORE_KUBECONFIG -> verification::storeKubeconfig;
            case DRAIN, REMOVE_KUBECONFIG -> throw new IllegalStateException("not a create phase: " + phase);
        };
    }
}
