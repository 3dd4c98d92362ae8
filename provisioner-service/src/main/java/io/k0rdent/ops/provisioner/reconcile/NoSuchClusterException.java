package io.k0rdent.ops.provisioner.reconcile;

import java.util.List;

/**
 * An event refers to a cluster that has no infrastructure at all (no VPC, no subnet, no group, no live instance):
 * nothing to act on, and retrying changes nothing. The listener dead-letters the record as {@code UNPROCESSABLE}.
 */
public class NoSuchClusterException extends RuntimeException {

    public NoSuchClusterException(String cluster, List<String> instanceIds) {
        super("NodesDrained for cluster " + cluster + " (instances " + instanceIds
                + "), which has no infrastructure in its region");
    }
}
