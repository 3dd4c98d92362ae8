package io.k0rdent.ops.bootstrap.bench;

import io.k0rdent.ops.bootstrap.phase.ClusterBootstrapper;
import io.k0rdent.ops.bootstrap.support.BootstrapSandbox;
import io.k0rdent.ops.contracts.event.BootstrapEvent;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.contracts.event.InfrastructureDestroyed;
import io.k0rdent.ops.sandbox.hosts.SimulatedHost;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clusters bootstrapped per second against sandbox hosts (docs/benchmarks.md). Not a test: run with
 * {@code mvn -pl bootstrap-service exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.k0rdent.ops.bootstrap.bench.BootstrapBenchmark -Dexec.args="1000 4 3"}
 * (clusters, parallel clusters, workers per cluster, and optionally {@code keep}).
 *
 * <p>Each cluster is bootstrapped from scratch (all 12 phases, 1 controller + N workers), then its
 * infrastructure is "destroyed": the kubeconfig Secret is deleted and the simulated API released, as
 * the sandbox does, so the number of live API servers stays at the parallelism. With {@code keep} every
 * cluster stays alive, to see what that many live simulated APIs cost.
 */
public final class BootstrapBenchmark {

    private BootstrapBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int parallel = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int workers = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        // "keep": clusters stay alive (Secret and API) instead of being destroyed after Ready.
        boolean keep = args.length > 3 && args[3].equals("keep");
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (BootstrapSandbox sandbox = new BootstrapSandbox()) {
            ClusterBootstrapper bootstrapper = sandbox.bootstrapper();
            // Warm-up, not measured: class loading and JIT of the SSH and HTTP paths.
            run(sandbox, bootstrapper, "warmup", workers, false);

            AtomicLong peakHeap = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(parallel);
            long commandsBefore = sandbox.hosts().commands().size();
            long start = System.nanoTime();
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < clusters; i++) {
                String name = "bench-" + i;
                results.add(pool.submit(() -> {
                    boolean ok = run(sandbox, bootstrapper, name, workers, keep);
                    peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    return ok;
                }));
            }
            int ready = 0;
            for (Future<Boolean> result : results) {
                ready += result.get() ? 1 : 0;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            long commands = sandbox.hosts().commands().size() - commandsBefore;
            System.gc();
            System.out.printf("clusters=%d parallel=%d workers=%d ready=%d seconds=%.1f clusters/s=%.2f%n",
                    clusters, parallel, workers, ready, seconds, clusters / seconds);
            System.out.printf("ssh sessions/cluster=%d commands/cluster=%.1f%n", workers + 1, (double) commands / clusters);
            System.out.printf("heap peak=%d MiB after-gc=%d MiB threads peak=%d live APIs at end=%d%n",
                    peakHeap.get() >> 20, memory.getHeapMemoryUsage().getUsed() >> 20, threads.getPeakThreadCount(),
                    sandbox.hosts().runningApis());
        }
    }

    private static boolean run(BootstrapSandbox sandbox, ClusterBootstrapper bootstrapper, String name, int workers, boolean keep) {
        BootstrapSandbox.Cluster cluster;
        synchronized (sandbox) {
            cluster = sandbox.cluster(name, 1, workers);
        }
        BootstrapEvent result = bootstrapper.bootstrap(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1));
        if (!keep) {
            bootstrapper.destroyed(new InfrastructureDestroyed(BootstrapSandbox.header(name, 1, "destroyed"), "us-east-1", List.of()));
            SimulatedHost controller = cluster.host(0);
            controller.cluster().ifPresent(sandbox.hosts()::release);
        }
        if (!(result instanceof ClusterReady)) {
            System.err.println(name + ": " + result);
            return false;
        }
        return true;
    }
}
