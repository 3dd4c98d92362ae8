package io.k0rdent.ops.contracts.definition;

/** {@code spec.addons}: optional components installed as k0s Helm extensions. */
public record Addons(Addon ingress, Addon metricsServer) {

    public static final Addons NONE = new Addons(Addon.DISABLED, Addon.DISABLED);

    public Addons {
        ingress = ingress == null ? Addon.DISABLED : ingress;
        metricsServer = metricsServer == null ? Addon.DISABLED : metricsServer;
    }
}
