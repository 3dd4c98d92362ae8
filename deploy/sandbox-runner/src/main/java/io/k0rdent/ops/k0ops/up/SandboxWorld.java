package io.k0rdent.ops.k0ops.up;

import io.k0rdent.ops.contracts.topic.Topics;
import io.k0rdent.ops.sandbox.ec2.Ec2Emulator;
import io.k0rdent.ops.sandbox.forge.ForgeStatusSink;
import io.k0rdent.ops.sandbox.mail.LocalMailServer;
import io.k0rdent.ops.sandbox.management.ManagementApi;
import io.k0rdent.ops.sandbox.ec2.ImageSpec;
import io.k0rdent.ops.sandbox.hosts.SimulatedHosts;
import io.k0rdent.ops.sandbox.kafka.KafkaBroker;
import io.k0rdent.ops.sandbox.kafka.KafkaBrokerOptions;
import io.k0rdent.ops.sandbox.kafka.KafkaBrokers;
import io.k0rdent.ops.sandbox.slack.SlackSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The whole suite on one machine: a Kafka broker, the EC2 emulator with simulated SSH hosts behind its
 * instances, a management cluster API, a mail server, a Slack sink, the GitOps repository and the four
 * services, each in its own JVM (the provisioner, bootstrap service and notifier optionally in several, see
 * {@link Replica}). {@code k0ops up} and the end-to-end tests start it through
 * {@link #start}; {@link #close} stops the parts in reverse order.
 *
 * <p>What lives in {@link SandboxLayout#stateDir()} (Kafka's data, the Git repository, mail, Slack messages, the SSH
 * key, the webhook secret, the gitwatcher's mirror) survives a restart, and so does the simulated world: the EC2
 * emulator's resources ({@code ec2/}), the simulated hosts with their k0s state and cluster APIs ({@code hosts/})
 * and the management cluster's Secrets ({@code management/}).
 */
public final class SandboxWorld implements AutoCloseable {

    /**
     * fabric8's mock servers report every request through java.util.logging at INFO, onto the console of
     * {@code k0ops up}; only their warnings matter there. Held here because JUL keeps loggers weakly.
     */
    private static final Logger MOCK_SERVER_LOG = quiet("io.fabric8.mockwebserver");

    private final SandboxLayout layout;
    private final Consumer<String> progress;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final ServiceProcesses processes;
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

    private SandboxWorld(SandboxLayout layout, Consumer<String> progress, Map<Service, Map<String, String>> overrides,
                         int consumerReplicas) {
        this.layout = layout;
        this.progress = progress;
        this.processes = new ServiceProcesses(layout, progress, overrides, consumerReplicas);
    }

    /**
     * Starts every part, reporting each step to {@code progress}; on failure, stops what was started.
     *
     * @throws IllegalStateException when a service is not built (naming the command to run) or does not start
     */
    public static SandboxWorld start(SandboxLayout layout, Consumer<String> progress) throws Exception {
        return start(layout, progress, Map.of());
    }

    /**
     * Like {@link #start(SandboxLayout, Consumer)}, with extra {@code -D} settings per service that win over the
     * sandbox's own (the fault suite shortens intervals this way).
     */
    public static SandboxWorld start(SandboxLayout layout, Consumer<String> progress,
                                     Map<Service, Map<String, String>> overrides) throws Exception {
        return start(layout, progress, overrides, 1);
    }

    /**
     * Like {@link #start(SandboxLayout, Consumer, Map)}, with {@code consumerReplicas} JVMs each of the provisioner,
     * the bootstrap service and the notifier. The gitwatcher stays at one: it is the single writer of the definitions
     * topic (docs/operations.md).
     */
    public static SandboxWorld start(SandboxLayout layout, Consumer<String> progress,
                                     Map<Service, Map<String, String>> overrides, int consumerReplicas)
            throws Exception {
        SandboxWorld sandbox = new SandboxWorld(layout, progress, overrides, consumerReplicas);
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
        SimulatedCloud cloud = SimulatedCloud.start(layout.stateDir(), key, progress, this::track);
        hosts = cloud.hosts();
        ec2 = cloud.ec2();

        management = track(ManagementApi.start(layout.stateDir().resolve("management.kubeconfig"),
                layout.stateDir().resolve("management")));
        progress.accept("management cluster API ready at " + management.url()
                + (management.restoredObjects() > 0 ? " (restored " + management.restoredObjects() + " objects)" : ""));

        mail = track(LocalMailServer.start(layout.smtpPort(), layout.mailDir()));
        progress.accept("SMTP server ready at 127.0.0.1:" + mail.smtpPort() + " (mail kept in " + layout.mailDir() + ")");

        slack = track(SlackSink.start(0, layout.slackLog()));
        SandboxSecrets secrets = new SandboxSecrets(layout.stateDir());
        Path slackUrlFile = secrets.write("slack-webhook-url", slack.webhookUrl().toString());
        progress.accept("Slack sink ready at " + slack.webhookUrl() + " (messages in " + layout.slackLog() + ")");

        forgeTokenFile = secrets.writeRandom("forge-token", 16);
        Path forgeLog = layout.stateDir().resolve("forge").resolve("statuses.jsonl");
        forge = track(ForgeStatusSink.start(0, Files.readString(forgeTokenFile), forgeLog, Clock.systemUTC()));
        progress.accept("Forge stand-in (Gitea commit status API) ready at " + forge.apiUrl() + " (statuses in "
                + forgeLog + ")");

        gitops = GitopsRepository.ensure(layout.stateDir().resolve("gitops.git"), layout.gitopsDir());
        progress.accept("GitOps repository ready: " + gitops.bareDir() + ", your clone: " + gitops.workDir());

        Path webhookSecretFile = secrets.keepRandom("webhook-secret", 24);
        Path hostKeySeedFile = secrets.keepRandom("host-key-seed", 32);
        broker = awaitBroker(starting);
        int created = SandboxTopics.ensure(broker.bootstrapServers());
        progress.accept("Kafka ready at " + broker.bootstrapServers() + " (" + Topics.all().size() + " topics, "
                + created + " created now)");
        settings = new ServiceSettings(broker.bootstrapServers(), layout.stateDir(), repositoryUrl(), webhookSecretFile,
                ec2.endpoint().toString(), cloud.region(), ImageSpec.defaults().get(0).imageId(),
                key.privateKeyFile(), management.kubeconfig(), slackUrlFile, mail.smtpPort(), hostKeySeedFile);
        processes.configure(settings, forge.notifierSettings(forgeTokenFile));

        for (Replica replica : replicas()) {
            startService(replica);
        }
        for (Replica replica : replicas()) {
            awaitReady(replica);
        }

        PushWebhookRelay relay = new PushWebhookRelay(gitops::remoteHead, GitopsRepository.BRANCH, repositoryUrl(),
                URI.create(serviceUrl(Service.GITWATCHER) + "/webhooks/gitea"),
                Files.readString(webhookSecretFile).strip(), progress);
        track(relay.start());
        progress.accept("push webhooks: a push to " + GitopsRepository.BRANCH + " reaches the gitwatcher at once");
    }

    /** How many JVMs of {@code service} this sandbox runs. */
    public int replicaCount(Service service) {
        return processes.replicaCount(service);
    }

    /** The JVMs of {@code service}, numbered from 1. */
    public List<Replica> replicas(Service service) {
        return processes.replicas(service);
    }

    /** Every JVM of every service, in the order events flow through them. */
    public List<Replica> replicas() {
        return processes.replicas();
    }

    /** Starts (or, after a kill, restarts) the first JVM of a service on its HTTP port; returns without waiting. */
    public ChildJvm startService(Service service) throws IOException {
        return startService(processes.first(service), Map.of());
    }

    /** Starts (or, after a kill, restarts) one JVM on its HTTP port; returns without waiting. */
    public ChildJvm startService(Replica replica) throws IOException {
        return startService(replica, Map.of());
    }

    /** Like {@link #startService(Replica, Map)} for the first JVM of {@code service}. */
    public ChildJvm startService(Service service, Map<String, String> extra) throws IOException {
        return startService(processes.first(service), extra);
    }

    /**
     * Starts (or restarts) one JVM with {@code extra} settings for this start only, e.g. a crash point
     * ({@code k0rdent.fault-injection.crash-point}) for the fault suite; returns without waiting.
     */
    public ChildJvm startService(Replica replica, Map<String, String> extra) throws IOException {
        return processes.start(replica, extra);
    }

    /** Waits until the first JVM of {@code service} answers HTTP (see {@link #awaitReady(Replica)}). */
    public void awaitReady(Service service) throws Exception {
        awaitReady(processes.first(service));
    }

    /** Waits until the JVM answers HTTP; fails with its log's last lines when it exits first. */
    public void awaitReady(Replica replica) throws Exception {
        processes.awaitReady(replica);
    }

    /** Kills the first JVM of {@code service} (see {@link #kill(Replica)}). */
    public void kill(Service service) {
        kill(processes.first(service));
    }

    /** Kills the JVM at once (SIGKILL: no shutdown hooks, no flush, no offset commit), as a crash would. */
    public void kill(Replica replica) {
        processes.kill(replica);
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

    /** The first JVM of {@code service} (with one replica: the only one). */
    public ChildJvm service(Service service) {
        return service(processes.first(service));
    }

    public ChildJvm service(Replica replica) {
        return processes.get(replica);
    }

    /** The HTTP address of the first JVM of {@code service}. */
    public String serviceUrl(Service service) {
        return serviceUrl(processes.first(service));
    }

    public String serviceUrl(Replica replica) {
        return processes.url(replica);
    }

    /** The log of the first JVM of {@code service}. */
    public Path logFile(Service service) {
        return logFile(processes.first(service));
    }

    public Path logFile(Replica replica) {
        return processes.logFile(replica);
    }

    public SandboxLayout layout() {
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

    /** Two distinct free ports (both sockets are held while choosing, so the second cannot repeat the first). */
    private static int[] twoFreePorts() {
        try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket second = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new int[] {first.getLocalPort(), second.getLocalPort()};
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
        processes.close();
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
