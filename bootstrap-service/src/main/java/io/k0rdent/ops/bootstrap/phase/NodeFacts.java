package io.k0rdent.ops.bootstrap.phase;

/**
 * What GATHER_FACTS learned about one node.
 *
 * @param arch             k0s's architecture name, or null when k0s has no build for the machine
 * @param installedVersion the k0s version installed, or null when k0s is not installed
 * @param running          whether the k0s service runs
 */
public record NodeFacts(String hostname, String machine, String arch, String os, String installedVersion, boolean running) {
}
