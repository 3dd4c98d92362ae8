package io.k0rdent.ops.contracts.event;

/** The resumable phases of a bootstrap, in order. Only add constants. */
public enum BootstrapPhase {
    CONNECT,
    GATHER_FACTS,
    VALIDATE_HOSTS,
    INSTALL_K0S,
    CONFIGURE,
    INIT_CONTROLLER,
    JOIN_CONTROLLERS,
    JOIN_WORKERS,
    FETCH_KUBECONFIG,
    VERIFY,
    STORE_KUBECONFIG,
    UPGRADE,
    DRAIN,
    REMOVE_KUBECONFIG
}
