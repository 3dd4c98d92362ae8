package io.k0rdent.ops.faults;

import io.k0rdent.ops.contracts.event.DriftDetected;
import io.k0rdent.ops.contracts.event.DriftDetected.DriftKind;
import java.util.List;
import java.util.Map;

/**
 * Drift made outside Git during the run was repaired by the provisioner's drift pass: the rule is in its group again,
 * and a {@code DriftDetected} of the cluster names the group and says it was repaired.
 */
final class DriftInvariant {

    private DriftInvariant() {
    }

    static void check(InvariantChecker.Observed o, List<String> violations, List<String> notes,
                      Map<String, Long> numbers) {
        for (InvariantChecker.DriftRepair repair : o.drifts()) {
            DriftInjector.Revoked rule = repair.rule();
            if (!repair.back()) {
                violations.add("drift not repaired: ingress " + rule.describe() + " is still missing");
            }
            List<DriftDetected> told = o.topics().eventsOf(rule.cluster()).stream()
                    .filter(DriftDetected.class::isInstance).map(DriftDetected.class::cast)
                    .filter(d -> d.kind() == DriftKind.SECURITY_GROUP_RULE_CHANGED
                            && d.description().contains(rule.groupId()))
                    .toList();
            if (told.stream().noneMatch(d -> "repaired".equals(d.action()))) {
                violations.add("drift not reported: no DriftDetected(SECURITY_GROUP_RULE_CHANGED, repaired) names "
                        + rule.groupId() + " of " + rule.cluster() + " (found " + told.size() + ")");
            } else {
                notes.add("drift outside Git: ingress " + rule.describe() + " reported by " + told.size()
                        + " DriftDetected and repaired");
            }
        }
        numbers.put("drift faults (rules revoked outside Git)", (long) o.drifts().size());
        numbers.put("DriftDetected events", o.topics().events().filter(DriftDetected.class::isInstance)
                .map(e -> e.header().eventId()).distinct().count());
    }
}
