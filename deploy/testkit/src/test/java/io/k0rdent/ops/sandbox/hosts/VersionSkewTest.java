package io.k0rdent.ops.sandbox.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The simulated k0s holds upgrades to Kubernetes' version skew policy: one minor at a time, controllers first. */
class VersionSkewTest {

    private static SimulatedCluster cluster() {
        return new SimulatedCluster("c1", "127.0.9.1", 6443, "kind: ClusterConfig\n", null, () -> HostNetwork.OPEN);
    }

    @Test
    void aControllerMayGoOneMinorAheadOfTheOthersNotTwo() {
        SimulatedCluster cluster = cluster();
        cluster.controllerStarted("c0", "1.28.3+k0s.0");
        cluster.controllerStarted("c1", "1.28.3+k0s.0");
        assertThat(cluster.versionSkew("c0", "controller", "1.29.1+k0s.0")).isEmpty();
        assertThat(cluster.versionSkew("c0", "controller", "1.30.1+k0s.0")).get().asString()
                .contains("must not skip a minor version");
        assertThat(cluster.versionSkew("solo", "controller", "1.30.1+k0s.0")).as("a controller alone compares "
                + "with the others only").get().asString().contains("1.30 cannot follow 1.28");
    }

    @Test
    void aKubeletNeverRunsNewerThanTheOldestApiServer() {
        SimulatedCluster cluster = cluster();
        cluster.controllerStarted("c0", "1.29.1+k0s.0");
        cluster.controllerStarted("c1", "1.28.3+k0s.0");
        assertThat(cluster.versionSkew("w0", "worker", "1.28.3+k0s.0")).isEmpty();
        assertThat(cluster.versionSkew("w0", "worker", "1.29.1+k0s.0")).get().asString()
                .contains("upgrade the controllers first");
        cluster.controllerStarted("c1", "1.29.1+k0s.0");
        assertThat(cluster.versionSkew("w0", "worker", "1.29.1+k0s.0")).isEmpty();
    }
}
