package io.k0rdent.ops.provisioner.reconcile;

import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.event.NodeRole;

/**
 * The node pools a cluster should have: how many controllers and workers, of which instance types. Also stored on
 * the VPC as tags ({@code count:type}), so the drift check knows the desired state after a restart.
 */
public record NodePools(int controllers, String controllerType, int workers, String workerType) {

    public static NodePools of(ClusterDefinition definition) {
        var nodes = definition.spec().nodes();
        return new NodePools(nodes.controllers().count(), nodes.controllers().instanceType(),
                nodes.workers().count(), nodes.workers().instanceType());
    }

    public int count(NodeRole role) {
        return role == NodeRole.CONTROLLER ? controllers : workers;
    }

    public String type(NodeRole role) {
        return role == NodeRole.CONTROLLER ? controllerType : workerType;
    }

    /** The instance types the pools use (one or two), for checking that the zones offer them. */
    public java.util.List<String> instanceTypes() {
        return controllerType.equals(workerType) ? java.util.List.of(controllerType)
                : java.util.List.of(controllerType, workerType);
    }

    /** The tag value for one role, e.g. {@code 3:t3.large}. */
    public String tag(NodeRole role) {
        return count(role) + ":" + type(role);
    }

    /** Reads the two tag values back; {@code null} when either is missing or malformed. */
    public static NodePools fromTags(String controllersTag, String workersTag) {
        if (controllersTag == null || workersTag == null) {
            return null;
        }
        String[] c = controllersTag.split(":", 2);
        String[] w = workersTag.split(":", 2);
        if (c.length != 2 || w.length != 2) {
            return null;
        }
        try {
            return new NodePools(Integer.parseInt(c[0]), c[1], Integer.parseInt(w[0]), w[1]);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
