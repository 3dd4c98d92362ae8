package io.k0rdent.ops.bootstrap.phase;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.k0rdent.ops.bootstrap.k0s.SafeValues;
import io.k0rdent.ops.contracts.definition.ClusterDefinition;
import io.k0rdent.ops.contracts.event.ProvisionedNode;
import io.k0rdent.ops.contracts.serde.EventJson;
import io.k0rdent.ops.contracts.validation.ClusterDefinitionValidator;
import io.k0rdent.ops.contracts.validation.Rule;
import io.k0rdent.ops.contracts.validation.ValidationPolicy;
import io.k0rdent.ops.contracts.validation.ValidationProblem;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks an event's values before any of them reaches a node: the definition again with the
 * contracts' validator (the event may come from anyone who can write to the topic), then every node
 * value with {@link SafeValues}' strict patterns. A failure here means nothing was sent over SSH.
 */
public final class DefinitionGuard {

    /** Platform policy belongs to the gitwatcher and provisioner; here only the shape and values matter. */
    private static final Set<Rule> POLICY_RULES = Set.of(Rule.REGION_NOT_ALLOWED, Rule.INSTANCE_TYPE_NOT_ALLOWED);

    private final ClusterDefinitionValidator validator = new ClusterDefinitionValidator(ValidationPolicy.defaults());
    private final ObjectMapper json = EventJson.newMapper();

    /**
     * @param clusterName the event's cluster (its key)
     * @throws IllegalArgumentException naming the first unsafe or invalid value
     */
    public void check(String clusterName, ClusterDefinition definition, List<ProvisionedNode> nodes) {
        SafeValues.clusterName(clusterName);
        if (definition == null) {
            throw new IllegalArgumentException("the event carries no cluster definition");
        }
        if (!clusterName.equals(definition.name())) {
            throw new IllegalArgumentException("the event's cluster " + clusterName + " differs from the definition's name");
        }
        String text;
        try {
            // JSON is YAML: the validator reads the definition exactly as if it came from Git.
            text = json.writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the definition cannot be written back for validation", e);
        }
        List<ValidationProblem> problems = validator.validate("event:" + clusterName, text).problems().stream()
                .filter(p -> !POLICY_RULES.contains(p.rule()))
                .toList();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid cluster definition: "
                    + problems.stream().map(p -> p.path() + ": " + p.message()).collect(Collectors.joining("; ")));
        }
        SafeValues.k0sVersion(definition.spec().k0s().version());
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("the event lists no nodes");
        }
        for (ProvisionedNode node : nodes) {
            if (node.ssh() == null || node.role() == null) {
                throw new IllegalArgumentException("node " + node.instanceId() + " has no SSH endpoint or role");
            }
            SafeValues.address(node.ssh().host());
            SafeValues.port(node.ssh().port());
            SafeValues.sshUser(node.ssh().user());
            if (node.privateAddress() != null) {
                SafeValues.address(node.privateAddress());
            }
            if (node.publicAddress() != null) {
                SafeValues.address(node.publicAddress());
            }
        }
    }
}
