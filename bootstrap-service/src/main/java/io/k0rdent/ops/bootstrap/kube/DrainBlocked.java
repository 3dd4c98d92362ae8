package io.k0rdent.ops.bootstrap.kube;

/** A drain that did not finish in time: names the pods still on the node and what keeps each there. */
public final class DrainBlocked extends RuntimeException {

    public DrainBlocked(String message) {
        super(message);
    }
}
