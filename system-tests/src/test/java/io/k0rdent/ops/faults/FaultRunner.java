package io.k0rdent.ops.faults;

import io.k0rdent.ops.faults.FaultAction.Arming;
import io.k0rdent.ops.faults.FaultAction.Kill;
import io.k0rdent.ops.faults.FaultAction.Scheduled;
import io.k0rdent.ops.faults.FaultAction.NetworkStepKills;
import io.k0rdent.ops.k0ops.up.Replica;
import io.k0rdent.ops.k0ops.up.Service;
import io.k0rdent.ops.k0ops.up.SandboxWorld;
import io.k0rdent.ops.sandbox.ec2.FaultRule;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
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
 * Carries out a {@link FaultSchedule} against a running {@link SandboxWorld}: timed actions per phase on a small pool,
 * and a watchdog that notices a service halted at its armed crash point, counts it and restarts it (arming the next
 * crash point of that service, if any). It carries out the services' deaths itself, the rest through
 * {@link EnvironmentFaults}.
 */
final class FaultRunner implements AutoCloseable {

    static final String CRASH_POINT = "k0rdent.fault-injection.crash-point";
    static final String CRASH_AFTER = "k0rdent.fault-injection.crash-after";
    private static final String HALT_LINE = "Fault injection: halting";

    private final SandboxWorld sandbox;
    private final FaultLog log;
    private final Random random;
    private final EnvironmentFaults environment;
    /** Crash points queued per service: the next restart of any of its replicas arms the first. */
    private final Map<Service, Deque<Arming>> armings = new EnumMap<>(Service.class);
    private final Map<Replica, Arming> armed = new HashMap<>();
    private final Map<Replica, ReentrantLock> locks = new HashMap<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(4, r -> {
        Thread thread = new Thread(r, "fault-runner");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Phase phase = Phase.CREATE;

    FaultRunner(SandboxWorld sandbox, FaultSchedule schedule, FaultLog log, Random random, List<String> realClusters) {
        this.sandbox = sandbox;
        this.log = log;
        this.random = random;
        this.environment = new EnvironmentFaults(sandbox, log, random, realClusters);
        for (Service service : Service.values()) {
            armings.put(service, new ArrayDeque<>(schedule.armings().getOrDefault(service, List.of())));
        }
        for (Replica replica : sandbox.replicas()) {
            locks.put(replica, new ReentrantLock());
        }
        executor.scheduleWithFixedDelay(this::watch, 500, 500, TimeUnit.MILLISECONDS);
    }

    /** EC2 answers RequestLimitExceeded to 30 % of all calls and a 5xx to 5 % (7.15 % of the other 70 %). */
    void throttleEc2() {
        sandbox.ec2().faults().addFault(FaultRule.throttle(30));
        sandbox.ec2().faults().addFault(FaultRule.onPercent("*", 7.15, "InternalError", 500));
        log.note("EC2 emulator: RequestLimitExceeded on 30 % of calls, InternalError (500) on 5 %");
    }

    void clearEc2Faults() {
        sandbox.ec2().faults().clearFaults();
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
        return environment.injected();
    }

    EnvironmentFaults environment() {
        return environment;
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
                for (Replica replica : sandbox.replicas(service)) {
                    if (armed.get(replica) != null) {
                        list.add(0, armed.get(replica));
                    }
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
            List<Replica> replicas = sandbox.replicas(kill.service());
            kill(kill.everyReplica() ? replicas : List.of(replicas.get(random.nextInt(replicas.size()))),
                    Moment.RANDOM, kill.downtime());
        } else if (action instanceof NetworkStepKills steps) {
            killAtNetworkSteps(steps);
        } else if (!environment.run(action)) {
            throw new IllegalArgumentException("no way to carry out " + action);
        }
    }

    /**
     * kill -9 of {@code victims} together (one replica, or every replica of a service: then nobody is left to take its
     * partitions over until the restart), then their restarts after {@code downtime}.
     */
    private void kill(List<Replica> victims, Moment moment, Duration downtime) throws Exception {
        // Locks in one order (the sandbox's), so two kills of overlapping sets cannot wait on each other.
        List<Replica> ordered = sandbox.replicas().stream().filter(victims::contains).toList();
        ordered.forEach(replica -> locks.get(replica).lock());
        try {
            if (ordered.size() > 1) {
                log.count("kills of every replica of " + ordered.get(0).service().shortName());
            }
            for (Replica replica : ordered) {
                sandbox.kill(replica);
                log.kill(replica, moment, phase);
            }
            pause(downtime);
            for (Replica replica : ordered) {
                restart(replica, false);
            }
        } finally {
            ordered.forEach(replica -> locks.get(replica).unlock());
        }
    }

    /**
     * For each named EC2 action in turn: waits for the next successful call of it (a network-creation step), then
     * kills every provisioner replica at once, so whichever made the call dies right after it, before the next step.
     * The emulator cannot say which replica called, hence all of them.
     */
    private void killAtNetworkSteps(NetworkStepKills steps) throws Exception {
        for (String action : steps.actions()) {
            long before = successfulCalls(action);
            long end = System.nanoTime() + steps.waitForEach().toNanos();
            while (successfulCalls(action) == before && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            if (successfulCalls(action) == before) {
                log.note("kill after " + action + " skipped: no call within " + steps.waitForEach().toSeconds() + " s");
                log.count("network-step kills skipped");
                continue;
            }
            log.count("network-step kills");
            log.count("kill provisioner after " + action);
            log.note("kill -9 of every provisioner right after a " + action);
            kill(sandbox.replicas(Service.PROVISIONER), Moment.AFTER_NETWORK_STEP, Duration.ofMillis(random.nextInt(2000)));
        }
    }

    private long successfulCalls(String action) {
        return sandbox.ec2().audit().entries(action).stream().filter(e -> e.succeeded()).count();
    }


    /**
     * Restarts a dead replica; call with its lock held. A crash point it had armed but not reached (killed from
     * outside first) is armed again; otherwise its service's next queued crash point, if any.
     */
    private void restart(Replica replica, boolean reachedArmed) throws Exception {
        Arming next;
        synchronized (armed) {
            Arming was = armed.get(replica);
            next = was != null && !reachedArmed ? was : armings.get(replica.service()).poll();
            armed.put(replica, next);
        }
        Map<String, String> extra = next == null ? Map.of()
                : Map.of(CRASH_POINT, next.moment().crashPoint(), CRASH_AFTER, Integer.toString(next.crashAfter()));
        if (next != null) {
            log.note(replica.name() + " restarts armed: " + next.moment() + " on pass " + next.crashAfter());
        }
        sandbox.startService(replica, extra);
        log.count("restarts");
        log.count("restarts " + replica.service().shortName());
        try {
            sandbox.awaitReady(replica);
        } catch (IllegalStateException e) {
            // Armed, it can reach its crash point before it is seen answering (run 29: 4 s after a 37 s start under
            // load). That is the halt this arming asked for; the watchdog restarts it as after any other.
            if (next == null || sandbox.service(replica).isAlive() || !haltedAtCrashPoint(replica)) {
                throw e;
            }
            log.note(replica.name() + " reached its crash point before it was seen ready");
        }
    }

    private boolean haltedAtCrashPoint(Replica replica) {
        return sandbox.service(replica).logOfThisRun().contains(HALT_LINE);
    }

    /** Restarts replicas that died by themselves: at an armed crash point, or (a finding) otherwise. */
    private void watch() {
        for (Replica replica : sandbox.replicas()) {
            ReentrantLock lock = locks.get(replica);
            if (!lock.tryLock()) {
                continue;
            }
            try {
                if (sandbox.service(replica).isAlive()) {
                    continue;
                }
                Arming was;
                synchronized (armed) {
                    was = armed.get(replica);
                }
                boolean halted = was != null && haltedAtCrashPoint(replica);
                if (halted) {
                    log.kill(replica, was.moment(), phase);
                } else {
                    log.count("unexpected exits " + replica.service().shortName());
                    log.note(replica.name() + " exited unexpectedly; its log ends with:\n"
                            + sandbox.service(replica).logTail(20));
                }
                restart(replica, halted);
            } catch (Throwable t) {
                failures.add(t);
                log.note("watchdog could not restart " + replica.name() + ": " + t);
            } finally {
                lock.unlock();
            }
        }
    }

    // The fault's own duration (how long the broker, SMTP server or host is down), not a wait for a result.
    private static void pause(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    /** Waits until no replica is being restarted, so the final checks see all of them running. */
    void quiesce() {
        for (Replica replica : sandbox.replicas()) {
            locks.get(replica).lock();
            locks.get(replica).unlock();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        environment.close();
    }
}
