package io.k0rdent.ops.deploy.aws;

import java.util.List;
import java.util.Set;

/**
 * One statement of an IAM policy, reduced to what the checks need.
 *
 * @param sid           the statement id, for messages
 * @param effect        {@code Allow} or {@code Deny}
 * @param actions       the actions as written
 * @param resources     the resources as written
 * @param conditionKeys every condition key the statement tests, whatever the operator
 * @param negated       whether it uses NotAction or NotResource, which grant by exclusion
 */
public record IamStatement(String sid, String effect, List<String> actions, List<String> resources,
                           Set<String> conditionKeys, boolean negated) {

    public IamStatement {
        actions = List.copyOf(actions);
        resources = List.copyOf(resources);
        conditionKeys = Set.copyOf(conditionKeys);
    }

    public boolean conditioned() {
        return !conditionKeys.isEmpty();
    }
}
