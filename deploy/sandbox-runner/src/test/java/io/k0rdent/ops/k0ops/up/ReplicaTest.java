package io.k0rdent.ops.k0ops.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReplicaTest {

    @Test
    void aSingleReplicaIsNamedAsItsServiceSoTheSandboxLooksAsWithoutReplicas() {
        assertThat(new Replica(Service.PROVISIONER, 1, 1).name()).isEqualTo("provisioner");
    }

    @Test
    void severalReplicasAreNumberedFromOne() {
        assertThat(new Replica(Service.NOTIFIER, 1, 2).name()).isEqualTo("notifier-1");
        assertThat(new Replica(Service.NOTIFIER, 2, 2).name()).isEqualTo("notifier-2");
    }

    @Test
    void anIndexOutsideTheCountIsRefused() {
        assertThatThrownBy(() -> new Replica(Service.BOOTSTRAP, 3, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Replica(Service.BOOTSTRAP, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
