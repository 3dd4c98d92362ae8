package io.k0rdent.ops.k0ops.up;

import io.k0rdent.ops.contracts.topic.Topic;
import io.k0rdent.ops.contracts.topic.Topics;
import io.k0rdent.ops.sandbox.ec2.Ec2Emulator;
import io.k0rdent.ops.sandbox.network.EmulatedNetwork;
import io.k0rdent.ops.sandbox.network.LoadBalancerForwarder;
import io.k0rdent.ops.sandbox.ec2.Ec2EmulatorOptions;
import io.k0rdent.ops.sandbox.ec2.ImageSpec;
import io.k0rdent.ops.sandbox.hosts.CloudInitHostKey;
import io.k0rdent.ops.sandbox.hosts.SimulatedHost;
import io.k0rdent.ops.sandbox.hosts.SimulatedHosts;
import io.k0rdent.ops.sandbox.kafka.KafkaBroker;
import io.k0rdent.ops.sandbox.kafka.KafkaBrokerOptions;
import io.k0rdent.ops.sandbox.kafka.KafkaBrokers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The whole suite on one machine: a Kafka broker, the EC2 emulator with simulated SSH hosts behind its
 * instances, a management cluster API, a mail server, a Slack sink, the GitOps repository and the four
 * services, each in its own JVM. {@code k0ops up} and the end-to-end tests start it through
 * {@link #start}; {@link #close} stops the parts in reverse order.
 *
 * <p>What lives in {@link Layout#stateDir()} (Kafka's data, the Git repository, mail, Slack messages, the SSH
 * key, the webhook secret, the gitwatcher's mirror) survives a restart, and so does the simulated world: the EC2
 * emulator's resources ({@code ec2/}), the simulated hosts with their k0s state and cluster APIs ({@code hosts/})
 * and the management cluster's Secrets ({@code management/}).
 */
public final class Sandbox implements AutoCloseable {

    /** How long one service may take to answer HTTP after its JVM started. */
    private static final Duration SERVICE_START_TIMEOUT = Duration.ofMinutes(3);
    private static final List<String> SERVICE_JVM_OPTIONS = List.of(
            // Small and quick to start: four of these share two cores with the broker.
            "-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");

    /**
     * Where things are and which ports to use.
     *
     * @param stateDir       e.g. {@code ./.k0ops}
     * @param gitopsDir      the user's clone, e.g. {@code ./gitops}
     * @param repositoryRoot the checkout the services' classpaths come from
     * @param kafkaPort      the broker's port (9092 for {@code k0ops up}; 0 picks a free one)
     * @param smtpPort       the mail server's port (0 picks a free one)
     */
    public record Layout(Path stateDir, Path gitopsDir, Path repositoryRoot, int kafkaPort, int smtpPort) {

        public Layout {
            stateDir = stateDir.toAbsolutePath().normalize();
            gitopsDir = gitopsDir.toAbsolutePath().normalize();
            repositoryRoot = repositoryRoot.toAbsolutePath().normalize();
        }

        public Path logDir() {
            return stateDir.resolve("logs");
        }

        public Path mailDir() {
            return stateDir.resolve("mail");
        }

        public Path slackLog() {
            return stateDir.resolve("slack").resolve("messages.jsonl");
        }
    }

    /**
     * fabric8's mock servers report every request through java.util.logging at INFO, onto the console of
     * {@code k0ops up}; only their warnings matter there. Held here because JUL keeps loggers weakly.
     */
    private static final Logger MOCK_SERVER_LOG = quiet("io.fabric8.mockwebserver");

    private final Layout layout;
    private final Consumer<String> progress;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Map<Service, ChildJvm> services = new EnumMap<>(Service.class);
    private final Map<Service, Integer> httpPorts = new EnumMap<>(Service.class);
    /** Extra {@code -D} settings per service on top of {@link ServiceSettings}, e.g. shorter intervals for tests. */
    private final Map<Service, Map<String, String>> overrides;
    private KafkaBrokerOptions brokerOptions;
    private KafkaBroker broker;
    private Ec2Emulator ec2;
    private SimulatedHosts hosts;
    private ManagementApi management;
    private LocalMailServer mail;
    private SlackSink slack;
    private ForgeStatusSink forge;
    private Path forgeTokenFile;
    private GitopsRepository gitops;
    private ServiceSettings settings;

    private Sandbox(Layout layout, Consumer<String> progress, Map<Service, Map<String, String>> overrides) {
        this.layout = layout;
        this.progress = progress;
        this.overrides = Map.copyOf(overrides);
    }

    /**
     * Starts every part, reporting each step to {@code progress}; on failure, stops what was started.
     *
     * @throws IllegalStateException when a service is not built (naming the command to run) or does not start
     */
    public static Sandbox start(Layout layout, Consumer<String> progress) throws Exception {
        return start(layout, progress, Map.of());
    }

    /**
     * Like {@link #start(Layout, Consumer)}, with extra {@code -D} settings per service that win over the sandbox's
     * own (the fault suite shortens intervals this way).
     */
    public static Sandbox start(Layout layout, Consumer<String> progress,
                                Map<Service, Map<String, String>> overrides) throws Exception {
        Sandbox sandbox = new Sandbox(layout, progress, overrides);
        try {
            sandbox.startAll();
            return sandbox;
        } catch (Exception | Error e) {
            sandbox.close();
            throw e;
        }
    }

    private static KafkaBroker awaitBroker(CompletableFuture<KafkaBroker> starting) throws Exception {
        try {
            return starting.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void startAll() throws Exception {
        for (Service service : Service.values()) {
            ServiceClasspath.of(layout.repositoryRoot(), service.module()); // fail before starting anything
        }
        Files.createDirectories(layout.stateDir());

        progress.accept("starting Kafka (data in " + layout.stateDir().resolve("kafka/data") + ") ...");
        // Fixed ports, even when the layout asks for a free one: a broker restarted by the fault suite must come
        // back where the services' clients look for it.
        int[] ports = twoFreePorts();
        brokerOptions = KafkaBrokerOptions.persistent(layout.stateDir().resolve("kafka"))
                .withPort(layout.kafkaPort() == 0 ? ports[0] : layout.kafkaPort())
                .withControllerPort(ports[1] == layout.kafkaPort() ? ports[0] : ports[1]);
        // The broker (a JVM of its own) starts while this one builds the simulated world, which needs no broker: the
        // two together take about as long as the slower one instead of both in a row.
        CompletableFuture<KafkaBroker> starting = CompletableFuture.supplyAsync(() -> KafkaBrokers.start(brokerOptions));
        // Tracked through the field, so the broker of a restart is the one stopped; one still starting is stopped once
        // it has started.
        track((AutoCloseable) () -> {
            if (broker != null) {
                broker.close();
            } else {
                starting.thenAccept(KafkaBroker::close);
            }
        });

        SandboxKey key = SandboxKey.ensure(layout.stateDir().resolve("ssh/id_ecdsa"));
        // The simulated world (hosts, EC2, management API) is saved under the state dir and comes back on restart.
        hosts = track(SimulatedHosts.start(SimulatedHosts.Options.authorizing(key.keyPair().getPublic())
                .withStateDir(layout.stateDir().resolve("hosts")).withSshdStartDelay(SandboxPhysics.sshdStartDelay())));
        progress.accept("simulated SSH hosts ready on port " + hosts.port() + " (one loopback address per host"
                + RestoredWorld.describe(hosts.restored()) + ")");

        Ec2EmulatorOptions ec2Options = Ec2EmulatorOptions.forTests().withStrictness(SandboxPhysics.ec2Strictness())
                .withLoadBalancerTiming(SandboxPhysics.loadBalancerTiming()).withQuotas(SandboxPhysics.quotas())
                .withSshEndpointHook(instance -> {
            // Every launched instance becomes a simulated host, booted as cloud-init would boot it: with the host key
            // its user-data installs, else one of its own. The provisioner publishes this endpoint.
            SimulatedHost host = CloudInitHostKey.from(instance.userData())
                    .map(hostKey -> hosts.addHost(instance.instanceId(), "ubuntu", hostKey))
                    .orElseGet(() -> hosts.addHost(instance.instanceId(), "ubuntu"))
                    .privateAddress(instance.privateIpAddress());
            return host.address() + ":" + hosts.port();
        }).withStateFile(layout.stateDir().resolve("ec2/state.json"))
                // Each load balancer's DNS name is a loopback address of its own, which the forwarder below answers
                // on: the cluster's API address then works for kubectl and the services on this machine.
                .withLoadBalancerDns((name, id, region) -> hosts.reserveAddress());
        ec2 = track(Ec2Emulator.start(ec2Options));
        // SSH from the bootstrap service arrives only where routes and security groups let it (admin-cidr is
        // 127.0.0.1/32 in ServiceSettings).
        hosts.connectThrough(new EmulatedNetwork(ec2, hosts, ServiceSettings.OPERATOR_ADDRESS));
        track(LoadBalancerForwarder.start(ec2, hosts, ServiceSettings.OPERATOR_ADDRESS, Duration.ofMillis(500)));
        progress.accept("EC2 emulator ready at " + ec2.endpoint() + " (region " + ec2Options.region()
                + RestoredWorld.describe(ec2.restored()) + ")");
        String matched = RestoredWorld.describe(RestoredWorld.reconcile(ec2, hosts, "ubuntu"));
        if (!matched.isEmpty()) {
            progress.accept(matched);
        }

        management = track(ManagementApi.start(layout.stateDir().resolve("management.kubeconfig"),
                layout.stateDir().resolve("management")));
        progress.accept("management cluster API ready at " + management.url()
                + (management.restoredObjects() > 0 ? " (restored " + management.restoredObjects() + " objects)" : ""));

        mail = track(LocalMailServer.start(layout.smtpPort(), layout.mailDir()));
        progress.accept("SMTP server ready at 127.0.0.1:" + mail.smtpPort() + " (mail kept in " + layout.mailDir() + ")");

        slack = track(SlackSink.start(0, layout.slackLog()));
        Path slackUrlFile = writeSecretFile("slack-webhook-url", slack.webhookUrl().toString());
        progress.accept("Slack sink ready at " + slack.webhookUrl() + " (messages in " + layout.slackLog() + ")");

        byte[] forgeToken = new byte[16];
        new SecureRandom().nextBytes(forgeToken);
        Path forgeLog = layout.stateDir().resolve("forge").resolve("statuses.jsonl");
        forge = track(ForgeStatusSink.start(0, HexFormat.of().formatHex(forgeToken), forgeLog, Clock.systemUTC()));
        forgeTokenFile = writeSecretFile("forge-token", HexFormat.of().formatHex(forgeToken));
        progress.accept("Forge stand-in (Gitea commit status API) ready at " + forge.apiUrl() + " (statuses in "
                + forgeLog + ")");

        gitops = GitopsRepository.ensure(layout.stateDir().resolve("gitops.git"), layout.gitopsDir());
        progress.accept("GitOps repository ready: " + gitops.bareDir() + ", your clone: " + gitops.workDir());

        Path webhookSecretFile = layout.stateDir().resolve("secrets/webhook-secret");
        if (!Files.exists(webhookSecretFile)) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            writeSecretFile("webhook-secret", HexFormat.of().formatHex(random));
        }
        Path hostKeySeedFile = layout.stateDir().resolve("secrets/host-key-seed");
        if (!Files.exists(hostKeySeedFile)) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            writeSecretFile("host-key-seed", HexFormat.of().formatHex(random));
        }
        broker = awaitBroker(starting);
        int created = createTopics(broker.bootstrapServers());
        progress.accept("Kafka ready at " + broker.bootstrapServers() + " (" + Topics.all().size() + " topics, "
                + created + " created now)");
        settings = new ServiceSettings(broker.bootstrapServers(), layout.stateDir(), repositoryUrl(), webhookSecretFile,
                ec2.endpoint().toString(), ec2Options.region(), ImageSpec.defaults().get(0).imageId(),
                key.privateKeyFile(), management.kubeconfig(), slackUrlFile, mail.smtpPort(), hostKeySeedFile);

        for (Service service : Service.values()) {
            startService(service);
        }
        for (Service service : Service.values()) {
            awaitReady(service);
        }

        PushWebhookRelay relay = new PushWebhookRelay(gitops::remoteHead, GitopsRepository.BRANCH, repositoryUrl(),
                URI.create(serviceUrl(Service.GITWATCHER) + "/webhooks/gitea"),
                Files.readString(webhookSecretFile).strip(), progress);
        track(relay.start());
        progress.accept("push webhooks: a push to " + GitopsRepository.BRANCH + " reaches the gitwatcher at once");
    }

    /** Starts (or, after a kill, restarts) one service's JVM on its HTTP port; returns without waiting. */
    public synchronized ChildJvm startService(Service service) throws IOException {
        return startService(service, Map.of());
    }

    /**
     * Starts (or restarts) one service's JVM with {@code extra} settings for this start only, e.g. a crash point
     * ({@code k0rdent.fault-injection.crash-point}) for the fault suite; returns without waiting.
     */
    public synchronized ChildJvm startService(Service service, Map<String, String> extra) throws IOException {
        int port = httpPorts.computeIfAbsent(service, s -> freePort());
        progress.accept("starting " + service.shortName() + " (log: " + logFile(service) + ") ...");
        List<Path> classpath = ServiceClasspath.of(layout.repositoryRoot(), service.module());
        Map<String, String> properties = new LinkedHashMap<>(settings.of(service, port));
        if (service == Service.NOTIFIER) {
            properties.putAll(forge.notifierSettings(forgeTokenFile));
        }
        properties.putAll(overrides.getOrDefault(service, Map.of()));
        properties.putAll(extra);
        if (!Files.exists(classpath.get(0).resolve("logback.xml"))) {
            properties.put("logback.configurationFile", defaultLogbackConfig().toString());
        }
        ChildJvm child = ChildJvm.start(new ChildJvm.Spec(service.shortName(), service.mainClass(), classpath,
                properties, SERVICE_JVM_OPTIONS, logFile(service)), layout.stateDir().resolve("launcher"));
        services.put(service, child);
        return child;
    }

    /** The logging configuration for services without their own (written once per start, so it stays current). */
    private Path defaultLogbackConfig() throws IOException {
        Path file = layout.stateDir().resolve("config/service-logback.xml");
        Files.createDirectories(file.getParent());
        try (var in = Sandbox.class.getClassLoader().getResourceAsStream("sandbox/service-logback.xml")) {
            if (in == null) {
                throw new IllegalStateException("missing resource sandbox/service-logback.xml");
            }
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    /** Waits until the service answers HTTP; fails with its log's last lines when its JVM exits first. */
    public void awaitReady(Service service) throws Exception {
        ChildJvm child = service(service);
        URI health = URI.create(serviceUrl(service) + "/health");
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + SERVICE_START_TIMEOUT.toNanos();
        while (true) {
            if (!child.isAlive()) {
                throw new IllegalStateException(service.shortName() + " exited while starting; the end of "
                        + logFile(service) + ":" + System.lineSeparator() + child.logTail(30));
            }
            try {
                var response = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                progress.accept(service.shortName() + " ready at " + serviceUrl(service) + " (pid " + child.pid()
                        + ", health " + response.statusCode() + ")");
                return;
            } catch (IOException e) {
                // Not listening yet.
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(service.shortName() + " did not answer within " + SERVICE_START_TIMEOUT
                        + "; see " + logFile(service));
            }
            // A bounded wait for the child JVM (not a test): it has nothing to notify us with.
            child.awaitExit(Duration.ofMillis(300));
        }
    }

    /** Kills the service's JVM at once (SIGKILL: no shutdown hooks, no flush, no offset commit), as a crash would. */
    public synchronized void kill(Service service) {
        progress.accept("killing " + service.shortName() + " (kill -9, pid " + service(service).pid() + ")");
        service(service).kill();
    }

    /** Stops the broker (cleanly, as an operator or a node failure would); the services keep running. */
    public synchronized void stopBroker() {
        progress.accept("stopping Kafka ...");
        broker.close();
    }

    /** Starts the broker again on the same port and data dir, after {@link #stopBroker()}. */
    public synchronized void startBroker() {
        progress.accept("starting Kafka again ...");
        broker = KafkaBrokers.start(brokerOptions);
        progress.accept("Kafka ready again at " + broker.bootstrapServers());
    }

    public ChildJvm service(Service service) {
        ChildJvm child = services.get(service);
        if (child == null) {
            throw new IllegalStateException(service.shortName() + " was not started");
        }
        return child;
    }

    public String serviceUrl(Service service) {
        return "http://127.0.0.1:" + httpPorts.get(service);
    }

    public Path logFile(Service service) {
        return layout.logDir().resolve(service.shortName() + ".log");
    }

    public Layout layout() {
        return layout;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public GitopsRepository gitops() {
        return gitops;
    }

    public SlackSink slack() {
        return slack;
    }

    /** The forge stand-in receiving the notifier's commit statuses. */
    public ForgeStatusSink forge() {
        return forge;
    }

    public LocalMailServer mail() {
        return mail;
    }

    public Ec2Emulator ec2() {
        return ec2;
    }

    public SimulatedHosts hosts() {
        return hosts;
    }

    /** The URL the gitwatcher fetches from, and the webhook names the repository by. */
    private String repositoryUrl() {
        return gitops.bareDir().toUri().toString();
    }

    private int createTopics(String bootstrapServers) throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = Topics.all().stream().filter(topic -> !existing.contains(topic.name()))
                    .map(Sandbox::newTopic).toList();
            if (missing.isEmpty()) {
                return 0;
            }
            try {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            return missing.size();
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer within a minute", e);
        }
    }

    private static NewTopic newTopic(Topic topic) {
        return new NewTopic(topic.name(), topic.partitions(), (short) 1).configs(topic.configs());
    }

    private Path writeSecretFile(String name, String content) throws IOException {
        Path file = layout.stateDir().resolve("secrets").resolve(name);
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content);
        return file;
    }

    /** Two distinct free ports (both sockets are held while choosing, so the second cannot repeat the first). */
    private static int[] twoFreePorts() {
        try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket second = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new int[] {first.getLocalPort(), second.getLocalPort()};
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    private static Logger quiet(String name) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.WARNING);
        return logger;
    }

    private <T extends AutoCloseable> T track(T part) {
        started.push(part);
        return part;
    }

    /** Stops the services first (newest first), then every other part in the reverse order of its start. */
    @Override
    public synchronized void close() {
        List<Service> reverse = new ArrayList<>(services.keySet());
        Collections.reverse(reverse);
        for (Service service : reverse) {
            progress.accept("stopping " + service.shortName() + " ...");
            services.get(service).close();
        }
        services.clear();
        while (!started.isEmpty()) {
            AutoCloseable part = started.pop();
            try {
                part.close();
            } catch (Exception e) {
                progress.accept("could not stop " + part.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }
}
