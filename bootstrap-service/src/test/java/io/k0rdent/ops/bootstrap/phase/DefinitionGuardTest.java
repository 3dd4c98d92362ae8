package io.k0rdent.ops.bootstrap.phase;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k0rdent.ops.bootstrap.support.BootstrapSandbox;
import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.event.NodeRole;
import io.k0rdent.ops.contracts.event.ProvisionedNode;
import io.k0rdent.ops.contracts.event.SshEndpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefinitionGuardTest {

    private final DefinitionGuard guard = new DefinitionGuard();
    private final List<ProvisionedNode> nodes = List.of(new ProvisionedNode("i-1", NodeRole.CONTROLLER, 0, "t3.medium",
            "us-east-1a", "10.0.1.10", null, new SshEndpoint("10.0.1.10", 22, "ubuntu", null)));

    @Test
    void aValidDefinitionPasses() {
        assertThatCode(() -> guard.check("dev", BootstrapSandbox.definition("dev", 1, 2, "1.28.3+k0s.0"), nodes)).doesNotThrowAnyException();
    }

    @Test
    void theContractsValidatorRunsAgain() {
        ClusterDefinition evenControllers = BootstrapSandbox.definition("dev", 2, 2, "1.28.3+k0s.0");
        assertThatThrownBy(() -> guard.check("dev", evenControllers, nodes)).hasMessageContaining("controllers");
    }

    @Test
    void theKeyMustMatchTheDefinition() {
        assertThatThrownBy(() -> guard.check("other", BootstrapSandbox.definition("dev", 1, 2, "1.28.3+k0s.0"), nodes))
                .hasMessageContaining("differs");
    }
}
