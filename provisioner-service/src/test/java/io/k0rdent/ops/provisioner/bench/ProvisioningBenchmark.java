package io.k0rdent.ops.provisioner.bench;

import io.k0rdent.ops.contracts.event.InfrastructureEvent;
import io.k0rdent.ops.contracts.event.InfrastructureProvisioned;
import io.k0rdent.ops.provisioner.reconcile.ClusterReconciler;
import io.k0rdent.ops.provisioner.support.Definitions;
import io.k0rdent.ops.sandbox.ec2.AuditEntry;
import io.k0rdent.ops.sandbox.ec2.Ec2Emulator;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.ec2.ServiceQuotas;
import io.micronaut.context.ApplicationContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Provisions many 1+2 clusters against the EC2 emulator through the provisioner's domain classes and real SDK
 * client (no Kafka: this measures the EC2 side). Not a test: run it by hand, see {@code docs/benchmarks.md}.
 *
 * <pre>
 * java -cp ... io.k0rdent.ops.provisioner.bench.ProvisioningBenchmark &lt;clusters&gt; &lt;threads&gt; &lt;a|b&gt;
 * </pre>
 * Mode {@code a}: zero latency, no throttling, no client-side limiter. Mode {@code b}: the emulator enforces EC2's
 * token buckets and the provisioner runs with its client-side limiter (as in production). Mode {@code c}: like
 * {@code b} without the client-side limiter (only the SDK's retries).
 */
public final class ProvisioningBenchmark {

    private ProvisioningBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        String mode = args.length > 2 ? args[2] : "a";
        boolean bucketed = !mode.equals("a");
        boolean limiter = mode.equals("b");
        // One API load balancer per cluster: beyond AWS's default 50 per region, as an account with a quota increase.
        Ec2EmulatorOptions options = Ec2EmulatorOptions.forTests().withThrottling(bucketed).withServerThreads(32)
                .withQuotas(ServiceQuotas.forClusters(clusters + 1));
        try (Ec2Emulator ec2 = Ec2Emulator.start(options);
             ApplicationContext app = ApplicationContext.builder().deduceEnvironment(false).properties(Map.ofEntries(
                     Map.entry("k0rdent.provisioner.admin-cidr", "192.0.2.0/24"),
                     Map.entry("k0rdent.provisioner.listeners.enabled", false),
                     Map.entry("k0rdent.provisioner.drift-enabled", false),
                     Map.entry("k0rdent.provisioner.endpoint", ec2.endpoint().toString()),
                     Map.entry("k0rdent.provisioner.access-key-id", "bench"),
                     Map.entry("k0rdent.provisioner.secret-access-key", "bench"),
                     Map.entry("k0rdent.provisioner.retry-mode", "standard"),
                     Map.entry("k0rdent.provisioner.client-rate-limits", limiter),
                     Map.entry("k0rdent.provisioner.waiter-poll-interval", "5ms"),
                     Map.entry("k0rdent.provisioner.waiter-max-attempts", 100_000),
                     Map.entry("micronaut.server.port", -1))).start()) {
            ClusterReconciler reconciler = app.getBean(ClusterReconciler.class);
            // Warm-up: class loading, JIT, connection pool.
            reconciler.onDefinition(Definitions.created(Definitions.cluster("warmup", false, 1, 2, "t3.large",
                    "1.28.3+k0s.0"), 1));
            int callsBefore = ec2.audit().size();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long start = System.nanoTime();
            List<Future<List<InfrastructureEvent>>> results = new ArrayList<>();
            for (int i = 0; i < clusters; i++) {
                String name = "bench-" + i;
                results.add(pool.submit(() -> reconciler.onDefinition(Definitions.created(
                        Definitions.cluster(name, false, 1, 2, "t3.large", "1.28.3+k0s.0"), 1))));
            }
            int provisioned = 0;
            for (Future<List<InfrastructureEvent>> result : results) {
                if (result.get().stream().anyMatch(InfrastructureProvisioned.class::isInstance)) {
                    provisioned++;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            List<AuditEntry> calls = ec2.audit().entries().subList(callsBefore, ec2.audit().size());
            Map<String, Long> byAction = new TreeMap<>(calls.stream()
                    .collect(Collectors.groupingBy(AuditEntry::action, Collectors.counting())));
            long throttled = calls.stream().filter(e -> "RequestLimitExceeded".equals(e.errorCode())).count();
            long runInstances = byAction.getOrDefault("RunInstances", 0L);
            System.out.printf("mode=%s clusters=%d provisioned=%d threads=%d%n", mode, clusters,
                    provisioned, threads);
            System.out.printf("total %.1f s, %.1f clusters/s, %.1f EC2 calls per cluster, %d throttled%n", seconds,
                    clusters / seconds, (double) calls.size() / clusters, throttled);
            System.out.printf("RunInstances %d; theoretical minimum with the bucket (5 + 2/s): %.1f s%n",
                    runInstances, Math.max(0, runInstances - 5) / 2.0);
            System.out.println("calls per action: " + byAction);
        }
    }
}
