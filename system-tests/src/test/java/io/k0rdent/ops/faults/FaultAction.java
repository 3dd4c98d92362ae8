package io.k0rdent.ops.faults;

import io.k0rdent.ops.k0ops.up.Service;
import io.k0rdent.ops.sandbox.ec2.FlowKind;
import java.time.Duration;

/** One fault the suite injects. */
sealed interface FaultAction {

    /**
     * kill -9 of one replica of {@code service} (chosen when the kill happens) or, with {@code everyReplica}, of all
     * of them at once; then their restarts after {@code downtime}.
     */
    record Kill(Service service, Duration downtime, boolean everyReplica) implements FaultAction {
    }

    /**
     * For each of {@code actions} in turn (network-creation steps such as {@code CreateRoute}): right after its next
     * successful call, kill -9 of every provisioner replica; a step whose call does not come within
     * {@code waitForEach} is skipped (and counted).
     */
    record NetworkStepKills(java.util.List<String> actions, Duration waitForEach) implements FaultAction {
    }

    /** The next {@code times} calls of each of {@code actions} fail with 503 (an EC2 failure at a network step). */
    record Ec2CallFailures(java.util.List<String> actions, int times) implements FaultAction {
    }

    /** The broker stops (clean shutdown) and starts again on the same port and data after {@code downtime}. */
    record BrokerRestart(Duration downtime) implements FaultAction {
    }

    /** A simulated host, chosen at random, refuses SSH connections for {@code duration}. */
    record SshRefusal(Duration duration) implements FaultAction {
    }

    /** The Slack sink answers {@code status} (with {@code Retry-After} when positive) for {@code duration}. */
    record SlackOutage(int status, int retryAfterSeconds, Duration duration) implements FaultAction {
    }

    /** The SMTP server is down for {@code duration}. */
    record SmtpOutage(Duration duration) implements FaultAction {
    }

    /** The next NAT gateway created fails (EC2 reports it {@code failed}); the provisioner must replace it. */
    record NatGatewayFailure() implements FaultAction {
    }

    /** The next call of {@code action} is refused with {@code DependencyViolation}, as EC2 does while an interface lingers. */
    record DependencyViolation(String action) implements FaultAction {
    }

    /** The network drops every flow of {@code kind} for {@code duration}, then delivers it again. */
    record FlowDrop(FlowKind kind, Duration duration) implements FaultAction {
    }

    /**
     * Drift made outside Git: one ingress rule of a security group of the workload's cluster number
     * {@code clusterIndex} (a kept one) is revoked through the AWS SDK; the provisioner's drift pass must put it back.
     */
    record IngressRuleRevoked(int clusterIndex) implements FaultAction {
    }

    /** Poison records on every consumed topic. */
    record Poison() implements FaultAction {
    }

    /** When in a phase the action starts (from the phase's first push). */
    record Scheduled(Phase phase, Duration delay, FaultAction action) {
    }

    /** A crash point armed for a service's next life: it halts there on the {@code crashAfter}-th pass. */
    record Arming(Moment moment, int crashAfter) {
    }
}
