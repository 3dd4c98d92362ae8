package io.k0rdent.ops.faults;

import io.k0rdent.ops.faults.FaultAction.Arming;
import io.k0rdent.ops.faults.FaultAction.BrokerRestart;
import io.k0rdent.ops.faults.FaultAction.Kill;
import io.k0rdent.ops.faults.FaultAction.Poison;
import io.k0rdent.ops.faults.FaultAction.Scheduled;
import io.k0rdent.ops.faults.FaultAction.SlackOutage;
import io.k0rdent.ops.faults.FaultAction.SmtpOutage;
import io.k0rdent.ops.faults.FaultAction.DependencyViolation;
import io.k0rdent.ops.faults.FaultAction.FlowDrop;
import io.k0rdent.ops.faults.FaultAction.NatGatewayFailure;
import io.k0rdent.ops.faults.FaultAction.SshRefusal;
import io.k0rdent.ops.k0ops.up.Service;
import io.k0rdent.ops.k0ops.up.SlackSink;
import io.k0rdent.ops.k0ops.up.Sandbox;
import io.k0rdent.ops.sandbox.ec2.FaultRule;
import io.k0rdent.ops.sandbox.hosts.CommandRecord;
import io.k0rdent.ops.sandbox.hosts.SimulatedHost;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Carries out a {@link FaultSchedule} against a running {@link Sandbox}: timed actions per phase on a small pool,
 * and a watchdog that notices a service halted at its armed crash point, counts it and restarts it (arming the next
 * crash point of that service, if any). Waits inside actions are the faults' own durations, or (a flow drop) the wait
 * for the moment the fault is about, not test timing.
 */
final class FaultRunner implements AutoCloseable {

    static final String CRASH_POINT = "k0rdent.fault-injection.crash-point";
    static final String CRASH_AFTER = "k0rdent.fault-injection.crash-after";
    private static final String HALT_LINE = "Fault injection: halting";
    /** How long a flow drop waits for a node to begin joining before it is skipped. */
    private static final Duration JOIN_WAIT = Duration.ofSeconds(150);

    private final Sandbox sandbox;
    private final FaultLog log;
    private final Random random;
    private final PoisonInjector poison;
    private final List<String> realClusters;
    private final Map<Service, Deque<Arming>> armings = new EnumMap<>(Service.class);
    private final Map<Service, Arming> armed = new EnumMap<>(Service.class);
    private final Map<Service, ReentrantLock> locks = new EnumMap<>(Service.class);
    private final List<PoisonInjector.Poison> injected = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(4, r -> {
        Thread thread = new Thread(r, "fault-runner");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Phase phase = Phase.CREATE;

    FaultRunner(Sandbox sandbox, FaultSchedule schedule, FaultLog log, Random random, List<String> realClusters) {
        this.sandbox = sandbox;
        this.log = log;
        this.random = random;
        this.realClusters = List.copyOf(realClusters);
        this.poison = new PoisonInjector(sandbox.bootstrapServers(), new Random(random.nextLong()));
        for (Service service : Service.values()) {
            armings.put(service, new ArrayDeque<>(schedule.armings().getOrDefault(service, List.of())));
            locks.put(service, new ReentrantLock());
        }
        executor.scheduleWithFixedDelay(this::watch, 500, 500, TimeUnit.MILLISECONDS);
    }

    /** EC2 answers RequestLimitExceeded to 30 % of all calls and a 5xx to 5 % (7.15 % of the other 70 %). */
    void throttleEc2() {
        sandbox.ec2().addFault(FaultRule.throttle(30));
        sandbox.ec2().addFault(FaultRule.onPercent("*", 7.15, "InternalError", 500));
        log.note("EC2 emulator: RequestLimitExceeded on 30 % of calls, InternalError (500) on 5 %");
    }

    void clearEc2Faults() {
        sandbox.ec2().clearFaults();
        log.note("EC2 emulator: faults cleared");
    }

    /** Starts the phase's actions, each after its delay; returns their futures. */
    List<Future<?>> start(Phase next, List<Scheduled> actions) {
        this.phase = next;
        List<Future<?>> futures = new ArrayList<>();
        for (Scheduled scheduled : actions) {
            futures.add(executor.schedule(() -> {
                try {
                    run(scheduled.action());
                } catch (Throwable t) {
                    failures.add(t);
                    log.note("fault action failed: " + scheduled.action() + ": " + t);
                }
                return null;
            }, scheduled.delay().toMillis(), TimeUnit.MILLISECONDS));
        }
        return futures;
    }

    List<PoisonInjector.Poison> injected() {
        return List.copyOf(injected);
    }

    List<Throwable> failures() {
        return List.copyOf(failures);
    }

    /** Crash points armed but not reached (their service still runs armed, or they were never armed). */
    Map<Service, List<Arming>> unreached() {
        Map<Service, List<Arming>> left = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            List<Arming> list = new ArrayList<>(armings.get(service));
            synchronized (armed) {
                if (armed.get(service) != null) {
                    list.add(0, armed.get(service));
                }
            }
            if (!list.isEmpty()) {
                left.put(service, list);
            }
        }
        return left;
    }

    private void run(FaultAction action) throws Exception {
        if (action instanceof Kill kill) {
            kill(kill.service(), kill.downtime());
        } else if (action instanceof BrokerRestart restart) {
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
                return;
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
            sandbox.ec2().failNextNatGateway("InternalError", "An internal error occurred while creating the NAT gateway");
        } else if (action instanceof DependencyViolation violation) {
            log.count("dependency violations");
            log.note("the next " + violation.action() + " is refused with DependencyViolation");
            sandbox.ec2().failNextCall(violation.action(), "DependencyViolation", 400);
        } else if (action instanceof FlowDrop drop) {
            // Started by the next node installed to join (with a token file) rather than by the clock alone, so the
            // drop meets joins at whatever pace the services keep under the other faults.
            if (!awaitNextJoin(JOIN_WAIT)) {
                log.note("flow drop skipped: no node began to join within " + JOIN_WAIT.toSeconds() + " s");
                return;
            }
            log.count("flow drops");
            long before = sandbox.ec2().flowsDroppedByFault();
            log.note("the network drops " + drop.kind().name() + " for " + drop.duration().toSeconds() + " s");
            sandbox.ec2().dropFlows(drop.kind(), drop.duration());
            pause(drop.duration());
            sandbox.ec2().restoreFlows();
            log.note("the network delivers " + drop.kind().name() + " again ("
                    + (sandbox.ec2().flowsDroppedByFault() - before) + " flows dropped meanwhile)");
        } else if (action instanceof Poison) {
            List<PoisonInjector.Poison> sent = poison.inject(realClusters);
            injected.addAll(sent);
            log.count("poison records");
            log.note("poison: " + sent.size() + " records on " + sent.stream().map(PoisonInjector.Poison::topic)
                    .distinct().toList());
        }
    }

    private void kill(Service service, Duration downtime) throws Exception {
        ReentrantLock lock = locks.get(service);
        lock.lock();
        try {
            sandbox.kill(service);
            log.kill(service, Moment.RANDOM, phase);
            pause(downtime);
            restart(service);
        } finally {
            lock.unlock();
        }
    }

    /** Restarts a dead service, arming its next crash point if one is queued. Call with its lock held. */
    private void restart(Service service) throws Exception {
        Arming next;
        synchronized (armed) {
            next = armings.get(service).poll();
            armed.put(service, next);
        }
        Map<String, String> extra = next == null ? Map.of()
                : Map.of(CRASH_POINT, next.moment().crashPoint(), CRASH_AFTER, Integer.toString(next.crashAfter()));
        if (next != null) {
            log.note(service.shortName() + " restarts armed: " + next.moment() + " on pass " + next.crashAfter());
        }
        sandbox.startService(service, extra);
        log.count("restarts");
        log.count("restarts " + service.shortName());
        sandbox.awaitReady(service);
    }

    /** Restarts services that died by themselves: at an armed crash point, or (a finding) otherwise. */
    private void watch() {
        for (Service service : Service.values()) {
            ReentrantLock lock = locks.get(service);
            if (!lock.tryLock()) {
                continue;
            }
            try {
                if (sandbox.service(service).isAlive()) {
                    continue;
                }
                Arming was;
                synchronized (armed) {
                    was = armed.get(service);
                }
                if (was != null && sandbox.service(service).logTail(60).contains(HALT_LINE)) {
                    log.kill(service, was.moment(), phase);
                } else {
                    log.count("unexpected exits " + service.shortName());
                    log.note(service.shortName() + " exited unexpectedly; its log ends with:\n"
                            + sandbox.service(service).logTail(20));
                }
                restart(service);
            } catch (Throwable t) {
                failures.add(t);
                log.note("watchdog could not restart " + service.shortName() + ": " + t);
            } finally {
                lock.unlock();
            }
        }
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

    /** Waits until no service is being restarted, so the final checks see all four running. */
    void quiesce() {
        for (Service service : Service.values()) {
            locks.get(service).lock();
            locks.get(service).unlock();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
