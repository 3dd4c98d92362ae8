package io.k0rdent.ops.sandbox.ec2;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import io.k0rdent.ops.sandbox.awsmodel.ModelViolation;
import io.k0rdent.ops.sandbox.awsmodel.QueryRequestValidator;
import io.k0rdent.ops.sandbox.awsmodel.ServiceModel;
import io.k0rdent.ops.sandbox.state.SnapshotFile;
import io.k0rdent.ops.sandbox.state.SnapshotSaver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process EC2 endpoint speaking the EC2 Query API (form-encoded POST, {@code Version=2016-11-15}, XML answers)
 * on {@code 127.0.0.1}. Point the AWS SDK at {@link #endpoint()} with {@code endpointOverride} and any static
 * credentials (signatures are not checked).
 *
 * <p>It implements the VPC, subnet, internet gateway, route table, security group, tag, instance, image and zone
 * actions the provisioner uses, with EC2's idempotency ({@code ClientToken}), dependency rules
 * ({@code DependencyViolation}), filters and pagination. On top: configurable latency, EC2's request token buckets
 * ({@code RequestLimitExceeded}), injected faults, and an {@link AuditLog} of every call.
 *
 * <p>The same endpoint speaks ELBv2's Query API ({@code Version=2015-12-01}) for network load balancers, target groups,
 * listeners and targets (see {@link LoadBalancerActions}): point the SDK's {@code ElasticLoadBalancingV2Client} at
 * the same {@link #endpoint()}. Load balancers live in the EC2 state: their interfaces occupy subnets.
 *
 * <pre>{@code
 * try (Ec2Emulator ec2 = Ec2Emulator.start(Ec2EmulatorOptions.forTests())) {
 *     Ec2Client client = Ec2Client.builder().endpointOverride(ec2.endpoint()).region(Region.US_EAST_1)
 *             .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
 *             .build();
 * }
 * }</pre>
 */
public final class Ec2Emulator implements AutoCloseable {

    /** The only API version EC2 clients of this project send. */
    public static final String API_VERSION = "2016-11-15";

    private static final Logger LOG = LoggerFactory.getLogger(Ec2Emulator.class);

    static {
        // The JDK server writes the status line and the body in two segments. Without TCP_NODELAY the second one
        // waits for the client's delayed ACK: about 40 ms per call on loopback instead of well under one. The JDK
        // reads this property once, when the first HttpServer of the JVM is created; an explicit setting wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /**
     * Actions that never change the state (DescribeInstances does: it advances pending and shutting-down
     * instances), so they need no save.
     */
    private static final java.util.Set<String> READ_ONLY = java.util.Set.of("DescribeVpcs", "DescribeSubnets",
            "DescribeInternetGateways", "DescribeRouteTables", "DescribeSecurityGroups", "DescribeImages",
            "DescribeAvailabilityZones", "DescribeNetworkInterfaces", "DescribeKeyPairs", "DescribeAddresses",
            "DescribeInstanceTypeOfferings", "DescribeVolumes",
            "DescribeLoadBalancers", "DescribeTargetGroups", "DescribeListeners", "DescribeTargetHealth",
            "DescribeTags");

    private final Ec2EmulatorOptions options;
    private final Clock clock;
    private final Ec2Actions actions;
    private final FaultInjector faults;
    private final QueryRequestValidator validator;
    private final QueryRequestValidator elbv2Validator;
    private final EventualConsistency consistency;
    private final AuditLog audit = new AuditLog();
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final ExecutorService executor;
    /** Saves the resources to {@link Ec2EmulatorOptions#stateFile()}; {@code null} when they live in memory only. */
    private final SnapshotSaver<Ec2Snapshot> saver;
    private final StateSummary restored;

    /** How many VPCs and live (not terminated) instances the emulator holds. */
    public record StateSummary(int vpcs, int liveInstances) {
    }

    /**
     * One instance as the emulator's owner sees it, e.g. to map instances to simulated hosts after a restart.
     *
     * @param userData the user-data it was launched with, as text, or {@code null}
     */
    public record InstanceSummary(String instanceId, String state, boolean alive, Map<String, String> tags,
                                  String userData) {
    }

    private Ec2Emulator(Ec2EmulatorOptions options, Clock clock) throws IOException {
        this.options = options;
        this.clock = clock;
        this.actions = new Ec2Actions(options, clock);
        if (options.stateFile() != null) {
            SnapshotFile<Ec2Snapshot> file = new SnapshotFile<>(options.stateFile(), Ec2Snapshot.class);
            file.read().ifPresent(actions::restore);
            this.restored = actions.summary();
            // Soon after each change, so a kill -9 of k0ops up loses at most the last moment.
            this.saver = new SnapshotSaver<>(file, actions::snapshot, Duration.ofMillis(200));
        } else {
            this.restored = new StateSummary(0, 0);
            this.saver = null;
        }
        this.faults = new FaultInjector(options.faults(), options.seed(), clock, actions::failNextNatGateway);
        this.validator = options.strictness().validateModel() ? new QueryRequestValidator(ServiceModel.ec2(), false) : null;
        this.elbv2Validator = options.strictness().validateModel()
                ? new QueryRequestValidator(ServiceModel.elbv2(), false) : null;
        this.consistency = new EventualConsistency(options.strictness().consistencyWindow());
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        this.executor = Executors.newFixedThreadPool(options.serverThreads(), runnable -> {
            Thread thread = new Thread(runnable, "ec2-emulator");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
    }

    /** Starts an emulator on a free loopback port. */
    public static Ec2Emulator start(Ec2EmulatorOptions options) {
        return start(options, Clock.systemUTC());
    }

    /** Starts an emulator with its own clock (time-based state transitions read it). */
    public static Ec2Emulator start(Ec2EmulatorOptions options, Clock clock) {
        try {
            return new Ec2Emulator(options, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the EC2 emulator", e);
        }
    }

    /** The URL to use as the SDK's {@code endpointOverride}, e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public Ec2EmulatorOptions options() {
        return options;
    }

    /** What was restored from {@link Ec2EmulatorOptions#stateFile()} at start (nothing without one). */
    public StateSummary restored() {
        return restored;
    }

    /** Every instance the emulator knows, terminated ones included, with its tags. */
    public List<InstanceSummary> instances() {
        return actions.instanceSummaries();
    }

    /**
     * Sets a tag of an instance from outside the API (not audited): the sandbox re-points an instance's SSH endpoint
     * tag when its simulated host had to come back on another port.
     */
    public void tagInstance(String instanceId, String key, String value) {
        actions.tagInstance(instanceId, key, value);
        changed();
    }

    /** One listener of a live load balancer, for a forwarder that makes its DNS name answer. */
    public record ListenerSummary(String loadBalancerName, String dnsName, int port) {
    }

    /** The listeners of the live load balancers. */
    public List<ListenerSummary> loadBalancerListeners() {
        return actions.listenerSummaries();
    }

    /**
     * Whether AWS would deliver {@code flow} now, judged from this emulator's routes, gateways, security groups and
     * load balancers ({@code FIDELITY.md}, "Network"). The simulated hosts ask before they answer a connection.
     */
    public NetworkVerdict reach(Flow flow) {
        return faults.flowDrop(flow).orElseGet(() -> actions.reach(flow));
    }

    /**
     * Whether pods on two instances (Kubernetes nodes) could talk, as kube-router carries pod traffic across the VPC
     * ({@code FIDELITY.md}, "Pod network").
     *
     * @param encapsulateAll kube-router's {@code overlay-type=full}: IP-in-IP between every pair of nodes, not only
     *                       across subnets
     */
    public NetworkVerdict podTraffic(String fromInstanceId, String toInstanceId, boolean encapsulateAll) {
        return actions.podTraffic(fromInstanceId, toInstanceId, encapsulateAll);
    }

    /** Writes the state file now (a no-op without one), e.g. before a test copies it. */
    public void saveState() {
        if (saver != null) {
            saver.saveNow();
        }
    }

    private void changed() {
        if (saver != null) {
            saver.changed();
        }
    }

    /** Every call received so far. */
    public AuditLog audit() {
        return audit;
    }

    /** The fault switches: failed calls, failing NAT gateways, dropped flows. */
    public FaultInjector faults() {
        return faults;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (saver != null) {
            saver.close(); // the final state, after the last call was answered
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            QueryRequest request = QueryRequest.parse(body);
            if (exchange.getRequestURI().getRawQuery() != null) {
                // GET-style calls put the parameters in the query string.
                QueryRequest.parse(exchange.getRequestURI().getRawQuery()).all().forEach(request.all()::putIfAbsent);
            }
            String action = request.get("Action");
            Result result = dispatch(action == null ? "" : action, request, requestId);
            exchange.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
            exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
            exchange.sendResponseHeaders(result.status(), result.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(result.body());
            }
        } catch (RuntimeException e) {
            LOG.error("EC2 emulator failed on a request", e);
            throw e;
        }
    }

    private record Result(int status, byte[] body) {
    }

    private Result dispatch(String action, QueryRequest request, String requestId) {
        Map<String, String> params = new LinkedHashMap<>(request.all());
        params.remove("Action");
        params.remove("Version");
        Instant at = clock.instant();
        List<String> created = new ArrayList<>();
        // One endpoint, two APIs: ELBv2 calls are told apart by their Version, as AWS's own endpoints are by host.
        boolean elbv2 = Elbv2Xml.API_VERSION.equals(request.get("Version"));
        int status = 200;
        String errorCode = null;
        byte[] body;
        try {
            pause(options.latencyFor(action));
            if (action.isEmpty()) {
                throw Ec2Error.client("MissingAction", "The request must contain the parameter Action");
            }
            if (!API_VERSION.equals(request.get("Version")) && !elbv2) {
                throw Ec2Error.client("InvalidParameterValue", "Unsupported Version: " + request.get("Version"));
            }
            QueryRequestValidator model = elbv2 ? elbv2Validator : validator;
            if (model != null) {
                Optional<ModelViolation> violation = model.validate(action, params);
                if (violation.isPresent()) {
                    throw elbv2 ? elbv2ModelError(violation.get()) : modelError(violation.get());
                }
            }
            if (options.throttling() && !bucket(action).tryTake(System.nanoTime())) {
                // ELBv2 throttles with the Query protocol's common "Throttling" (400), which the SDK retries.
                throw elbv2 ? Ec2Error.client("Throttling", "Rate exceeded")
                        : new Ec2Error("RequestLimitExceeded", "Request limit exceeded.", 503);
            }
            Optional<FaultRule> fault = faults.nextCallFault(action);
            if (fault.isPresent() && !fault.get().afterEffect()) {
                throw new Ec2Error(fault.get().errorCode(), "Injected fault on " + action, fault.get().httpStatus());
            }
            if (!elbv2) {
                // EC2's documented eventual consistency; what ELBv2 sees of a new EC2 resource is not documented.
                consistency.check(params, at);
            }
            body = elbv2 ? actions.handleElbv2(action, request, requestId, created)
                    : actions.handle(action, request, requestId, created);
            consistency.created(created, at);
            if (fault.isPresent()) {
                throw new Ec2Error(fault.get().errorCode(), "Injected fault on " + action + " (after its effect)",
                        fault.get().httpStatus());
            }
        } catch (Ec2Error e) {
            status = e.httpStatus();
            errorCode = e.code();
            body = elbv2 ? Elbv2Xml.error(e.code(), e.getMessage(), requestId)
                    : XmlOut.error(e.code(), e.getMessage(), requestId);
        }
        audit.record(at, action, params, status, errorCode, created);
        if (!READ_ONLY.contains(action)) {
            changed();
        }
        return new Result(status, body);
    }

    /** The error EC2 answers for a request outside its published model (HTTP 400, as every client error). */
    private static Ec2Error modelError(ModelViolation violation) {
        String code = switch (violation.kind()) {
            case UNKNOWN_ACTION -> "InvalidAction";
            case MISSING_PARAMETER -> "MissingParameter";
            case UNKNOWN_PARAMETER -> "UnknownParameter";
            case INVALID_VALUE -> "InvalidParameterValue";
        };
        return Ec2Error.client(code, violation.message());
    }

    /**
     * ELBv2 answers a request outside its model with {@code ValidationError} (HTTP 400), an action it does not know
     * with the Query protocol's {@code InvalidAction}.
     */
    private static Ec2Error elbv2ModelError(ModelViolation violation) {
        return violation.kind() == ModelViolation.Kind.UNKNOWN_ACTION
                ? Ec2Error.client("InvalidAction", violation.message())
                : Elbv2Xml.validation("1 validation error detected: " + violation.message());
    }

    private TokenBucket bucket(String action) {
        return buckets.computeIfAbsent(action, a -> {
            BucketSpec spec = options.bucketFor(a);
            return new TokenBucket(spec.capacity(), spec.refillPerSecond(), System.nanoTime());
        });
    }

    // Simulated network/service latency of the emulated endpoint (not a wait in a test).
    private static void pause(Duration latency) {
        if (latency.isZero() || latency.isNegative()) {
            return;
        }
        try {
            Thread.sleep(latency.toMillis(), latency.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Ec2Error("InternalError", "interrupted", 500);
        }
    }
}
