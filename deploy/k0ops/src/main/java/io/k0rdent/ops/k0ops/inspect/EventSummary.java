package io.k0rdent.ops.k0ops.inspect;

import io.k0rdent.ops.contracts.event.BootstrapFailed;
import io.k0rdent.ops.contracts.event.FailureRetry;
import io.k0rdent.ops.contracts.event.ClusterDefinitionRejected;
import io.k0rdent.ops.contracts.event.ClusterDefinitionUpdated;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.contracts.event.DriftDetected;
import io.k0rdent.ops.contracts.event.FieldChange;
import io.k0rdent.ops.contracts.event.InfrastructureDestroyed;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.contracts.event.NodesDrained;
import io.k0rdent.ops.contracts.event.NodesRetirementRequested;
import io.k0rdent.ops.contracts.event.NotificationFailed;
import io.k0rdent.ops.contracts.event.NotificationSent;
import io.k0rdent.ops.contracts.event.ProvisioningFailed;
import java.util.stream.Collectors;

/** One human line about an event: what happened, in the words an operator looks for. */
public final class EventSummary {

    private EventSummary() {
    }

    public static String of(ClusterEvent event) {
        if (event instanceof ClusterDefinitionUpdated updated) {
            return "changed " + updated.changes().stream().map(EventSummary::change)
                    .collect(Collectors.joining(", "));
        }
        if (event instanceof ClusterDefinitionRejected rejected) {
            return rejected.problems().size() + " problem(s): " + rejected.problems().stream()
                    .map(p -> p.file() + ":" + p.line() + ":" + p.column() + " " + p.message())
                    .collect(Collectors.joining("; "));
        }
        if (event instanceof InfrastructureProvisioned provisioned) {
            return provisioned.nodes().size() + " node(s) running in " + provisioned.region();
        }
        if (event instanceof NodesRetirementRequested retire) {
            return "retire " + retire.nodes().size() + " node(s) (" + retire.reason() + ")";
        }
        if (event instanceof ProvisioningFailed failed) {
            return failed.reason() + " " + nullToEmpty(failed.errorCode()) + " on " + failed.resource() + ": "
                    + failed.message() + retry(failed.retry(), failed.retryable());
        }
        if (event instanceof InfrastructureDestroyed destroyed) {
            return destroyed.removedResources().size() + " resource(s) removed";
        }
        if (event instanceof DriftDetected drift) {
            return drift.kind() + " " + drift.resourceId() + ": " + drift.action();
        }
        if (event instanceof ClusterReady ready) {
            return "k0s " + ready.k0sVersion() + " at " + ready.apiEndpoint() + ", " + ready.nodes().size()
                    + " node(s) Ready";
        }
        if (event instanceof BootstrapFailed failed) {
            return failed.phase() + " failed" + (failed.host() == null ? "" : " on " + failed.host()) + ": "
                    + failed.message() + retry(failed.retry(), failed.retryable());
        }
        if (event instanceof NodesDrained drained) {
            return drained.instanceIds().size() + " node(s) drained";
        }
        if (event instanceof NotificationSent sent) {
            return sent.channel() + " → " + sent.destination() + " about " + shortType(sent.subjectType());
        }
        if (event instanceof NotificationFailed failed) {
            return failed.channel() + " → " + failed.destination() + " failed: " + failed.reason();
        }
        return "generation " + event.header().generation();
    }

    /** {@code io.k0rdent.ops.cluster.bootstrap.ready.v1} → {@code bootstrap.ready}. */
    public static String shortType(String ceType) {
        if (ceType == null) {
            return "?";
        }
        String s = ceType.replaceFirst("^io\\.k0rdent\\.ops\\.cluster\\.", "");
        return s.replaceFirst("\\.v[0-9]+$", "");
    }

    private static String change(FieldChange change) {
        String path = change.path().replaceFirst("^\\$\\.", "");
        return path + " " + change.oldValue() + "→" + change.newValue();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String retry(FailureRetry retry, boolean retryable) {
        if (retry == null) {
            return retryable ? " (retryable)" : "";
        }
        if (retry.nextAt() != null) {
            return " (failure " + retry.attempt() + " in a row, retried at " + retry.nextAt() + ")";
        }
        return " (failure " + retry.attempt() + " in a row, not retried: change it in Git or k0ops reconcile)";
    }
}
