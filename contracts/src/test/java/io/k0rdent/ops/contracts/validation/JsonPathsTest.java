package io.k0rdent.ops.contracts.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonPathsTest {

    @Test
    void identifiersUseDotsOthersUseBrackets() {
        assertThat(JsonPaths.of("spec", "nodes", "controllers", "count")).isEqualTo("$.spec.nodes.controllers.count");
        assertThat(JsonPaths.child("$.metadata.labels", "app.kubernetes.io/name"))
                .isEqualTo("$.metadata.labels['app.kubernetes.io/name']");
        assertThat(JsonPaths.child("$", "it's")).isEqualTo("$['it\\'s']");
        assertThat(JsonPaths.child("$", "")).isEqualTo("$['']");
        assertThat(JsonPaths.index("$.items", 3)).isEqualTo("$.items[3]");
        assertThat(JsonPaths.of()).isEqualTo(JsonPaths.ROOT);
    }

    @Test
    void wellKnownPathsMatchTheirFields() {
        assertThat(DefinitionPaths.VPC_CIDR).isEqualTo("$.spec.networking.vpcCidr");
        assertThat(DefinitionPaths.NAME).isEqualTo("$.metadata.name");
        assertThat(DefinitionPaths.WORKER_INSTANCE_TYPE).isEqualTo("$.spec.nodes.workers.instanceType");
    }
}
