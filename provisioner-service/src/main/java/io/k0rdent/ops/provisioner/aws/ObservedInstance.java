package io.k0rdent.ops.provisioner.aws;

import io.k0rdent.ops.contracts.event.NodeRole;
import java.util.Map;

/**
 * An instance of a cluster as EC2 reports it, read from its tags and description.
 *
 * @param generation the generation that launched it
 * @param state      EC2's state name: {@code pending}, {@code running}, {@code shutting-down}, {@code terminated}, ...
 * @param retiring   the retirement reason tag, or {@code null} when the instance is not being retired
 */
public record ObservedInstance(String instanceId, NodeRole role, int slot, long generation, String instanceType,
                               String availabilityZone, String subnetId, String privateAddress, String publicAddress,
                               String state, String retiring, Map<String, String> tags) {

    public ObservedInstance {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** Pending or running: it counts as a node of the cluster. */
    public boolean isLive() {
        return "pending".equals(state) || "running".equals(state);
    }

    /** Stopped, stopping or shutting down: it exists, but is not a node (drift). */
    public boolean isDown() {
        return !isLive() && !"terminated".equals(state);
    }

    /** For events and logs: {@code worker/2}. */
    public String label() {
        return role.name().toLowerCase() + "/" + slot;
    }
}
