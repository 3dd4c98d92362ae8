package io.k0rdent.ops.faults;

import io.k0rdent.ops.faults.FaultAction.BrokerRestart;
import io.k0rdent.ops.faults.FaultAction.DependencyViolation;
import io.k0rdent.ops.faults.FaultAction.Ec2CallFailures;
import io.k0rdent.ops.faults.FaultAction.FlowDrop;
import io.k0rdent.ops.faults.FaultAction.IngressRuleRevoked;
import io.k0rdent.ops.faults.FaultAction.NatGatewayFailure;
import io.k0rdent.ops.faults.FaultAction.Poison;
import io.k0rdent.ops.faults.FaultAction.SlackOutage;
import io.k0rdent.ops.faults.FaultAction.SmtpOutage;
import io.k0rdent.ops.faults.FaultAction.SshRefusal;
import io.k0rdent.ops.k0ops.up.SandboxWorld;
import io.k0rdent.ops.sandbox.ec2.FaultRule;
import io.k0rdent.ops.sandbox.hosts.CommandRecord;
import io.k0rdent.ops.sandbox.hosts.SimulatedHost;
import io.k0rdent.ops.sandbox.slack.SlackSink;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The faults of the world around the services (not their deaths, which {@link FaultRunner} carries out): the broker,
 * SSH hosts, Slack, SMTP, EC2's answers, the network's flows, drift made outside Git, poison records. Waits inside
 * are the faults' own durations, or (a flow drop) the wait for the moment the fault is about, not test timing.
 */
final class EnvironmentFaults implements AutoCloseable {

    /** How long a flow drop waits for a node to begin joining before it is skipped. */
    private static final Duration JOIN_WAIT = Duration.ofSeconds(150);

    private final SandboxWorld sandbox;
    private final FaultLog log;
    private final Random random;
    private final PoisonInjector poison;
    private final List<String> realClusters;
    private final DriftInjector drift;
    private final List<PoisonInjector.Poison> injected = new CopyOnWriteArrayList<>();
    private final List<DriftInjector.Revoked> revoked = new CopyOnWriteArrayList<>();

    EnvironmentFaults(SandboxWorld sandbox, FaultLog log, Random random, List<String> realClusters) {
        this.sandbox = sandbox;
        this.log = log;
        this.random = random;
        this.realClusters = List.copyOf(realClusters);
        this.poison = new PoisonInjector(sandbox.bootstrapServers(), new Random(random.nextLong()));
        this.drift = new DriftInjector(sandbox.ec2().endpoint(), sandbox.ec2().options().region());
    }

    List<PoisonInjector.Poison> injected() {
        return List.copyOf(injected);
    }

    /** The rules revoked outside Git, each of which the drift pass must have put back by the end. */
    List<DriftInjector.Revoked> revoked() {
        return List.copyOf(revoked);
    }

    /** Whether the rule is in its group again (read through the SDK, as an operator would). */
    boolean isBack(DriftInjector.Revoked rule) {
        return drift.isBack(rule);
    }

    /** Carries out the action if it is one of this world's faults; answers whether it was. */
    boolean run(FaultAction action) throws Exception {
        if (action instanceof BrokerRestart restart) {
            log.count("broker restarts");
            log.note("broker stop (down for " + restart.downtime().toSeconds() + " s)");
            sandbox.stopBroker();
            pause(restart.downtime());
            sandbox.startBroker();
            log.note("broker started again");
        } else if (action instanceof SshRefusal refusal) {
            List<SimulatedHost> hosts = sandbox.hosts().hosts().stream()
                    .sorted(Comparator.comparing(h -> addressOrder(h.address()))).toList();
            SimulatedHost host = hosts.isEmpty() ? null : hosts.get(random.nextInt(hosts.size()));
            if (host == null) {
                log.note("SSH refusal skipped: no host yet");
                return true;
            }
            log.count("ssh refusals");
            log.note("host " + host.address() + " (" + host.hostname() + ") refuses SSH for "
                    + refusal.duration().toSeconds() + " s");
            sandbox.hosts().refuseConnections(host);
            pause(refusal.duration());
            sandbox.hosts().acceptConnections(host);
            log.note("host " + host.address() + " accepts SSH again");
        } else if (action instanceof SlackOutage outage) {
            log.count("slack outages " + outage.status());
            log.note("Slack sink answers " + outage.status() + (outage.retryAfterSeconds() > 0
                    ? " with Retry-After " + outage.retryAfterSeconds() : "") + " for " + outage.duration().toSeconds() + " s");
            sandbox.slack().answerWith(new SlackSink.Outage(outage.status(), outage.retryAfterSeconds()));
            pause(outage.duration());
            sandbox.slack().answerWith(null);
            log.note("Slack sink accepts again");
        } else if (action instanceof SmtpOutage outage) {
            log.count("smtp outages");
            log.note("SMTP server down for " + outage.duration().toSeconds() + " s");
            sandbox.mail().stopSmtp();
            pause(outage.duration());
            sandbox.mail().startSmtp();
            log.note("SMTP server up again");
        } else if (action instanceof NatGatewayFailure) {
            log.count("NAT gateway failures");
            log.note("the next NAT gateway fails (InternalError)");
            sandbox.ec2().faults().failNextNatGateway("InternalError", "An internal error occurred while creating the NAT gateway");
        } else if (action instanceof DependencyViolation violation) {
            log.count("dependency violations");
            log.note("the next " + violation.action() + " is refused with DependencyViolation");
            sandbox.ec2().faults().failNextCall(violation.action(), "DependencyViolation", 400);
        } else if (action instanceof FlowDrop drop) {
            // Started by the next node installed to join (with a token file) rather than by the clock alone, so the
            // drop meets joins at whatever pace the services keep under the other faults.
            if (!awaitNextJoin(JOIN_WAIT)) {
                log.note("flow drop skipped: no node began to join within " + JOIN_WAIT.toSeconds() + " s");
                return true;
            }
            log.count("flow drops");
            long before = sandbox.ec2().faults().flowsDroppedByFault();
            log.note("the network drops " + drop.kind().name() + " for " + drop.duration().toSeconds() + " s");
            sandbox.ec2().faults().dropFlows(drop.kind(), drop.duration());
            pause(drop.duration());
            sandbox.ec2().faults().restoreFlows();
            log.note("the network delivers " + drop.kind().name() + " again ("
                    + (sandbox.ec2().faults().flowsDroppedByFault() - before) + " flows dropped meanwhile)");
        } else if (action instanceof Ec2CallFailures calls) {
            failCalls(calls);
        } else if (action instanceof IngressRuleRevoked revoke) {
            revokeIngressRule(realClusters.get(revoke.clusterIndex()));
        } else if (action instanceof Poison) {
            List<PoisonInjector.Poison> sent = poison.inject(realClusters);
            injected.addAll(sent);
            log.count("poison records");
            log.note("poison: " + sent.size() + " records on " + sent.stream().map(PoisonInjector.Poison::topic)
                    .distinct().toList());
        } else {
            return false;
        }
        return true;
    }

    private void revokeIngressRule(String cluster) {
        var rule = drift.revokeOneIngressRule(cluster);
        if (rule.isEmpty()) {
            log.note("drift skipped: " + cluster + " has no CIDR ingress rule to revoke");
            log.count("drift faults skipped");
            return;
        }
        revoked.add(rule.get());
        log.count("drift faults");
        log.note("drift outside Git: revoked ingress " + rule.get().describe());
    }

    /**
     * The next {@code times} calls of each named action fail with a 503, one after the other: more than the SDK's own
     * retries absorb, so the provisioner sees the step fail and must converge on a later pass.
     */
    private void failCalls(Ec2CallFailures failures) {
        for (String action : failures.actions()) {
            int from = (int) sandbox.ec2().audit().count(action) + 1;
            for (int n = from; n < from + failures.times(); n++) {
                sandbox.ec2().faults().addFault(FaultRule.onNthCall(action, n, "ServiceUnavailable", 503));
            }
            log.count("EC2 step failures " + action);
        }
        log.note("EC2 emulator: the next " + failures.times() + " calls of each of " + failures.actions()
                + " fail with 503 ServiceUnavailable");
    }

    /** Whether a node was installed to join its cluster (after now) within {@code limit}. */
    private boolean awaitNextJoin(Duration limit) throws InterruptedException {
        long seen = sandbox.hosts().commands().stream().mapToLong(CommandRecord::sequence).max().orElse(0);
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (sandbox.hosts().commands().stream()
                    .anyMatch(c -> c.sequence() > seen && c.line().contains("--token-file"))) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    private static long addressOrder(String address) {
        long order = 0;
        for (String part : address.split("\\.")) {
            order = order * 256 + Integer.parseInt(part);
        }
        return order;
    }

    // The fault's own duration (how long the broker, SMTP server or host is down), not a wait for a result.
    private static void pause(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    @Override
    public void close() {
        drift.close();
    }
}
