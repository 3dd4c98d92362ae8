package io.k0rdent.ops.sandbox.ec2;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the EC2 emulator behaves. Immutable; start from {@link #defaults()} or {@link #forTests()} and change with
 * the {@code with*} methods.
 *
 * @param region             the region the emulator answers for; zones are {@code region + "a"}, {@code "b"}, ...
 * @param zoneCount          how many availability zones the region has
 * @param images             the AMIs DescribeImages knows and RunInstances accepts
 * @param pending            pending → running
 * @param shuttingDown       shutting-down → terminated
 * @param defaultLatency     added to every call
 * @param latencies          added to calls of one action instead of {@code defaultLatency}
 * @param throttling         whether EC2's request token buckets are enforced ({@code RequestLimitExceeded}, 503)
 * @param buckets            bucket sizes per action overriding {@link BucketSpec#forAction(String)}
 * @param faults             injected failures, checked in order; the first that fires wins
 * @param seed               seed of the random source behind percentage faults and resource ids
 * @param sshEndpointHook    chooses an instance's SSH endpoint (published as a tag)
 * @param sshEndpointTag     the tag key the SSH endpoint is published under
 * @param serverThreads      threads serving HTTP requests (bounds concurrent calls)
 * @param stateFile          where the emulator's resources are restored from at start and saved to (after changes
 *                           and on close), or {@code null} to keep them in memory only (the default, for tests)
 * @param strictness         how closely the emulator holds requests to AWS's API model and how long a new resource
 *                           stays invisible to calls naming it (eventual consistency)
 * @param keyPairs           the names of the region's EC2 key pairs: {@code RunInstances} with any other
 *                           {@code KeyName} is {@code InvalidKeyPair.NotFound}, as in EC2
 * @param loadBalancerTiming how long ELBv2's background work takes: provisioning, initial health checks, draining
 *                           and the release of a deleted load balancer's network interfaces
 * @param loadBalancerDns    how a new load balancer's DNS name is formed (AWS's form unless the sandbox says)
 */
public record Ec2EmulatorOptions(
        String region,
        int zoneCount,
        List<ImageSpec> images,
        Transitions pending,
        Transitions shuttingDown,
        Duration defaultLatency,
        Map<String, Duration> latencies,
        boolean throttling,
        Map<String, BucketSpec> buckets,
        List<FaultRule> faults,
        long seed,
        SshEndpointHook sshEndpointHook,
        String sshEndpointTag,
        int serverThreads,
        Path stateFile,
        ApiStrictness strictness,
        List<String> keyPairs,
        InstanceTypeOfferings offerings,
        LoadBalancerTiming loadBalancerTiming,
        ServiceQuotas quotas,
        LoadBalancerDns loadBalancerDns) {

    /** The key pair every region of the emulator has unless told otherwise: the one the sandbox's definitions name. */
    public static final String DEFAULT_KEY_PAIR = "k0rdent";

    /** The tag the SSH endpoint chosen by the hook is published under, unless configured otherwise. */
    public static final String DEFAULT_SSH_ENDPOINT_TAG = "sandbox.k0rdent.io/ssh-endpoint";

    public Ec2EmulatorOptions {
        Objects.requireNonNull(region, "region");
        if (zoneCount < 1 || zoneCount > 6) {
            throw new IllegalArgumentException("zoneCount must be 1..6");
        }
        images = List.copyOf(images);
        Objects.requireNonNull(pending, "pending");
        Objects.requireNonNull(shuttingDown, "shuttingDown");
        Objects.requireNonNull(defaultLatency, "defaultLatency");
        latencies = Map.copyOf(latencies);
        buckets = Map.copyOf(buckets);
        faults = List.copyOf(faults);
        Objects.requireNonNull(sshEndpointHook, "sshEndpointHook");
        Objects.requireNonNull(sshEndpointTag, "sshEndpointTag");
        if (serverThreads < 1) {
            throw new IllegalArgumentException("serverThreads >= 1");
        }
        Objects.requireNonNull(strictness, "strictness");
        keyPairs = List.copyOf(keyPairs);
        Objects.requireNonNull(offerings, "offerings");
        Objects.requireNonNull(loadBalancerTiming, "loadBalancerTiming");
        Objects.requireNonNull(quotas, "quotas");
        Objects.requireNonNull(loadBalancerDns, "loadBalancerDns");
    }

    /**
     * AWS-like: us-east-1 with three zones, about 20 s state transitions, minutes for load balancers, throttling on,
     * no latency.
     */
    public static Ec2EmulatorOptions defaults() {
        return new Ec2EmulatorOptions("us-east-1", 3, ImageSpec.defaults(), Transitions.realistic(),
                Transitions.realistic(), Duration.ZERO, Map.of(), true, Map.of(), List.of(), 42L,
                SshEndpointHook.NONE, DEFAULT_SSH_ENDPOINT_TAG, 16, null, ApiStrictness.modelOnly(),
                List.of(DEFAULT_KEY_PAIR), InstanceTypeOfferings.everywhere(), LoadBalancerTiming.realistic(),
                ServiceQuotas.awsDefaults(), LoadBalancerDns.AWS);
    }

    /**
     * For tests: instant transitions (one pending answer, then running; load balancers active and targets healthy at
     * the next call), no latency, no throttling.
     */
    public static Ec2EmulatorOptions forTests() {
        return defaults().withTransitions(Transitions.fast()).withThrottling(false)
                .withLoadBalancerTiming(LoadBalancerTiming.immediate());
    }

    public Ec2EmulatorOptions withRegion(String newRegion) {
        return new Ec2EmulatorOptions(newRegion, zoneCount, images, pending, shuttingDown, defaultLatency, latencies,
                throttling, buckets, faults, seed, sshEndpointHook, sshEndpointTag, serverThreads, stateFile, strictness, keyPairs, offerings, loadBalancerTiming, quotas, loadBalancerDns);
    }

    public Ec2EmulatorOptions withZoneCount(int count) {
        return new Ec2EmulatorOptions(region, count, images, pending, shuttingDown, defaultLatency, latencies,
                throttling, buckets, faults, seed, sshEndpointHook, sshEndpointTag, serverThreads, stateFile, strictness, keyPairs, offerings, loadBalancerTiming, quotas, loadBalancerDns);
    }

    public Ec2EmulatorOptions withImages(List<ImageSpec> newImages) {
        return new Ec2EmulatorOptions(region, zoneCount, newImages, pending, shuttingDown, defaultLatency, latencies,
                throttling, buckets, faults, seed, sshEndpointHook, sshEndpointTag, serverThreads, stateFile, strictness, keyPairs, offerings, loadBalancerTiming, quotas, loadBalancerDns);
    }

    /** Both pending → running and shutting-down → terminated. */
    public Ec2EmulatorOptions withTransitions(Transitions transitions) {
        return new Ec2EmulatorOptions(region, zoneCount, images, transitions, transitions, defaultLatency, latencies,
                throttling, buckets, faults, seed, sshEndpointHook, sshEndpointTag, serverThreads, stateFile, strictness, keyPairs, offerings, loadBalancerTiming, quotas, loadBalancerDns);
    }

    public Ec2EmulatorOptions withLatency(Duration latency) {
        return new Ec2EmulatorOptions(region, zoneCount, images, pending, shuttingDown, latency, latencies,
                throttling, buckets, faults, seed, sshEndpointHook, sshEndpointTag, serverThreads, stateFile, strictness, keyPairs, offerings, loadBalancerTiming, quotas, loadBalancerDns);
    }

    public Ec2EmulatorOptions withLatency(String action, Duration latency) {
        Map<String, Duration> next = new HashMap<>(latencies);
        next.put(action, latency);
        return new Ec2EmulatorOptions(region, zoneCount, images, pending, shuttingDown, defaultLatency, next,
                throttling, buckets, faults, seed, sshEndpointHook, sshEndpointTag, serverThreads, stateFile, strictness, keyPairs, offerings, loadBalancerTiming, quotas, loadBalancerDns);
    }

    public Ec2EmulatorOptions withThrottling(boolean enabled) {
        return new Ec2EmulatorOptions(region, zoneCount, images, pending, shuttingDown, defaultLatency, latencies,
                enabled, buckets, faults, seed, sshEndpointHook, sshEndpointTag, serverThreads, stateFile, strictness, keyPairs, offerings, loadBalancerTiming, quotas, loadBalancerDns);
    }

    public Ec2EmulatorOptions withBucket(String action, BucketSpec bucket) {
        Map<String, BucketSpec> next = new HashMap<>(buckets);
        next.put(action, bucket);
        return new Ec2EmulatorOptions(region, zoneCount, images, pending, shuttingDown, defaultLatency, latencies,
                throttling, next, faults, seed, sshEndpointHook, sshEndpointTag, serverThreads, stateFile, strictness, keyPairs, offerings, loadBalancerTiming, quotas, loadBalancerDns);
    }

    public Ec2EmulatorOptions withFault(FaultRule fault) {
        List<FaultRule> next = new ArrayList<>(faults);
        next.add(fault);
        return new Ec2EmulatorOptions(region, zoneCount, images, pending, shuttingDown, defaultLatency, latencies,
                throttling, buckets, next, seed, sshEndpointHook, sshEndpointTag, serverThreads, stateFile, strictness, keyPairs, offerings, loadBalancerTiming, quotas, loadBalancerDns);
    }

    public Ec2EmulatorOptions withSeed(long newSeed) {
        return new Ec2EmulatorOptions(region, zoneCount, images, pending, shuttingDown, defaultLatency, latencies,
                throttling, buckets, faults, newSeed, sshEndpointHook, sshEndpointTag, serverThreads, stateFile, strictness, keyPairs, offerings, loadBalancerTiming, quotas, loadBalancerDns);
    }

    public Ec2EmulatorOptions withSshEndpointHook(SshEndpointHook hook) {
        return new Ec2EmulatorOptions(region, zoneCount, images, pending, shuttingDown, defaultLatency, latencies,
                throttling, buckets, faults, seed, hook, sshEndpointTag, serverThreads, stateFile, strictness, keyPairs, offerings, loadBalancerTiming, quotas, loadBalancerDns);
    }

    public Ec2EmulatorOptions withServerThreads(int threads) {
        return new Ec2EmulatorOptions(region, zoneCount, images, pending, shuttingDown, defaultLatency, latencies,
                throttling, buckets, faults, seed, sshEndpointHook, sshEndpointTag, threads, stateFile, strictness, keyPairs, offerings, loadBalancerTiming, quotas, loadBalancerDns);
    }

    /**
     * Makes the emulator durable: it starts with the resources saved in {@code file} (if it exists) and saves them
     * there shortly after every change and on close. For {@code k0ops up}, whose clusters outlive a restart.
     */
    public Ec2EmulatorOptions withStateFile(Path file) {
        return new Ec2EmulatorOptions(region, zoneCount, images, pending, shuttingDown, defaultLatency, latencies,
                throttling, buckets, faults, seed, sshEndpointHook, sshEndpointTag, serverThreads, file, strictness, keyPairs, offerings, loadBalancerTiming, quotas, loadBalancerDns);
    }

    /**
     * How strict the emulator is: AWS's model is always enforced unless turned off for a test that must send an
     * out-of-model request; the eventual-consistency window is zero unless set (see {@link ApiStrictness}).
     */
    public Ec2EmulatorOptions withStrictness(ApiStrictness newStrictness) {
        return new Ec2EmulatorOptions(region, zoneCount, images, pending, shuttingDown, defaultLatency, latencies,
                throttling, buckets, faults, seed, sshEndpointHook, sshEndpointTag, serverThreads, stateFile, newStrictness, keyPairs, offerings, loadBalancerTiming, quotas, loadBalancerDns);
    }

    /** The region's key pairs are exactly {@code names}. */
    public Ec2EmulatorOptions withKeyPairs(String... names) {
        return new Ec2EmulatorOptions(region, zoneCount, images, pending, shuttingDown, defaultLatency, latencies,
                throttling, buckets, faults, seed, sshEndpointHook, sshEndpointTag, serverThreads, stateFile,
                strictness, List.of(names), offerings, loadBalancerTiming, quotas, loadBalancerDns);
    }

    /** Which instance types each zone offers ({@code DescribeInstanceTypeOfferings}, {@code RunInstances}). */
    public Ec2EmulatorOptions withOfferings(InstanceTypeOfferings newOfferings) {
        return new Ec2EmulatorOptions(region, zoneCount, images, pending, shuttingDown, defaultLatency, latencies,
                throttling, buckets, faults, seed, sshEndpointHook, sshEndpointTag, serverThreads, stateFile,
                strictness, keyPairs, newOfferings, loadBalancerTiming, quotas, loadBalancerDns);
    }

    /** The account's per-region limits (see {@link ServiceQuotas}). */
    public Ec2EmulatorOptions withQuotas(ServiceQuotas newQuotas) {
        return new Ec2EmulatorOptions(region, zoneCount, images, pending, shuttingDown, defaultLatency, latencies,
                throttling, buckets, faults, seed, sshEndpointHook, sshEndpointTag, serverThreads, stateFile,
                strictness, keyPairs, offerings, loadBalancerTiming, newQuotas, loadBalancerDns);
    }

    /** The delays of ELBv2's background work (see {@link LoadBalancerTiming}). */
    public Ec2EmulatorOptions withLoadBalancerTiming(LoadBalancerTiming timing) {
        return new Ec2EmulatorOptions(region, zoneCount, images, pending, shuttingDown, defaultLatency, latencies,
                throttling, buckets, faults, seed, sshEndpointHook, sshEndpointTag, serverThreads, stateFile,
                strictness, keyPairs, offerings, timing, quotas, loadBalancerDns);
    }

    /** How new load balancers' DNS names are formed (see {@link LoadBalancerDns}). */
    public Ec2EmulatorOptions withLoadBalancerDns(LoadBalancerDns dns) {
        return new Ec2EmulatorOptions(region, zoneCount, images, pending, shuttingDown, defaultLatency, latencies,
                throttling, buckets, faults, seed, sshEndpointHook, sshEndpointTag, serverThreads, stateFile,
                strictness, keyPairs, offerings, loadBalancerTiming, quotas, dns);
    }

    /** The availability zone names, e.g. {@code us-east-1a}, {@code us-east-1b}, {@code us-east-1c}. */
    public List<String> zones() {
        List<String> zones = new ArrayList<>();
        for (int i = 0; i < zoneCount; i++) {
            zones.add(region + (char) ('a' + i));
        }
        return zones;
    }

    /**
     * The Local Zones the emulated account has opted into: one for the regions that have Local Zones here
     * ({@code us-east-1-bos-1a} in us-east-1, {@code us-west-2-lax-1a} in us-west-2), none elsewhere. They are listed
     * by {@code DescribeAvailabilityZones} but are not where a cluster's subnets belong.
     */
    public List<String> localZones() {
        return switch (region) {
            case "us-east-1" -> List.of("us-east-1-bos-1a");
            case "us-west-2" -> List.of("us-west-2-lax-1a");
            default -> List.of();
        };
    }

    BucketSpec bucketFor(String action) {
        return buckets.getOrDefault(action, BucketSpec.forAction(action));
    }

    Duration latencyFor(String action) {
        return latencies.getOrDefault(action, defaultLatency);
    }
}
