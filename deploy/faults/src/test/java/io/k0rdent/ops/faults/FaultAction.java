package io.k0rdent.ops.faults;

import io.k0rdent.ops.k0ops.up.Service;
import io.k0rdent.ops.sandbox.ec2.FlowKind;
import java.time.Duration;

/** One fault the suite injects. */
sealed interface FaultAction {

    /** kill -9 of {@code service}, then a restart after {@code downtime}. */
    record Kill(Service service, Duration downtime) implements FaultAction {
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
