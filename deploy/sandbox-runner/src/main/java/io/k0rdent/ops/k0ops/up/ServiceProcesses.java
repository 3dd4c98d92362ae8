package io.k0rdent.ops.k0ops.up;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The services' JVMs of one sandbox: which replicas there are, the HTTP port and log each keeps across restarts, and
 * starting, waiting for, killing and stopping them. {@link SandboxWorld} builds the rest of the world and hands the
 * services' settings over once Kafka and the stand-ins are up ({@link #configure}).
 */
final class ServiceProcesses implements AutoCloseable {

    /** How long one service may take to answer HTTP after its JVM started. */
    private static final Duration SERVICE_START_TIMEOUT = Duration.ofMinutes(3);
    private static final List<String> SERVICE_JVM_OPTIONS = List.of(
            // Small and quick to start: four of these share two cores with the broker.
            "-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");

    private final SandboxLayout layout;
    private final Consumer<String> progress;
    /** JVMs per consumer service (provisioner, bootstrap, notifier); the gitwatcher always runs one. */
    private final int consumerReplicas;
    /** Extra {@code -D} settings per service on top of {@link ServiceSettings}, e.g. shorter intervals for tests. */
    private final Map<Service, Map<String, String>> overrides;
    private final Map<Replica, ChildJvm> services = new LinkedHashMap<>();
    private final Map<Replica, Integer> httpPorts = new LinkedHashMap<>();
    private ServiceSettings settings;
    private Map<String, String> notifierSettings = Map.of();

    ServiceProcesses(SandboxLayout layout, Consumer<String> progress, Map<Service, Map<String, String>> overrides,
                     int consumerReplicas) {
        if (consumerReplicas < 1) {
            throw new IllegalArgumentException("replicas must be at least 1, not " + consumerReplicas);
        }
        this.layout = layout;
        this.progress = progress;
        this.overrides = Map.copyOf(overrides);
        this.consumerReplicas = consumerReplicas;
    }

    /**
     * The settings every service starts with, and the notifier's extra ones (the forge stand-in's), known once the
     * parts they point at run.
     */
    synchronized void configure(ServiceSettings serviceSettings, Map<String, String> notifierExtras) {
        this.settings = serviceSettings;
        this.notifierSettings = Map.copyOf(notifierExtras);
    }

    int replicaCount(Service service) {
        return service == Service.GITWATCHER ? 1 : consumerReplicas;
    }

    List<Replica> replicas(Service service) {
        List<Replica> list = new ArrayList<>();
        for (int i = 1; i <= replicaCount(service); i++) {
            list.add(new Replica(service, i, replicaCount(service)));
        }
        return List.copyOf(list);
    }

    List<Replica> replicas() {
        List<Replica> all = new ArrayList<>();
        for (Service service : Service.values()) {
            all.addAll(replicas(service));
        }
        return List.copyOf(all);
    }

    Replica first(Service service) {
        return new Replica(service, 1, replicaCount(service));
    }

    /** Starts (or restarts) one JVM on its HTTP port with {@code extra} settings for this start only. */
    synchronized ChildJvm start(Replica replica, Map<String, String> extra) throws IOException {
        if (settings == null) {
            throw new IllegalStateException("the sandbox has not configured its services yet");
        }
        Service service = replica.service();
        int port = httpPorts.computeIfAbsent(replica, r -> freePort());
        progress.accept("starting " + replica.name() + " (log: " + logFile(replica) + ") ...");
        List<Path> classpath = ServiceClasspath.of(layout.repositoryRoot(), service.module());
        Map<String, String> properties = new LinkedHashMap<>(settings.of(service, port));
        if (service == Service.NOTIFIER) {
            properties.putAll(notifierSettings);
        }
        if (service == Service.PROVISIONER && replica.of() > 1) {
            // EC2's request budgets are the account's, not a process's: each replica takes its equal part.
            properties.put("k0rdent.provisioner.ec2-rate-share", Integer.toString(replica.of()));
        }
        properties.putAll(overrides.getOrDefault(service, Map.of()));
        properties.putAll(extra);
        if (!Files.exists(classpath.get(0).resolve("logback.xml"))) {
            properties.put("logback.configurationFile", defaultLogbackConfig().toString());
        }
        ChildJvm child = ChildJvm.start(new ChildJvm.Spec(replica.name(), service.mainClass(), classpath,
                properties, SERVICE_JVM_OPTIONS, logFile(replica)), layout.stateDir().resolve("launcher"));
        services.put(replica, child);
        return child;
    }

    /** The logging configuration for services without their own (written once per start, so it stays current). */
    private Path defaultLogbackConfig() throws IOException {
        Path file = layout.stateDir().resolve("config/service-logback.xml");
        Files.createDirectories(file.getParent());
        try (var in = ServiceProcesses.class.getClassLoader().getResourceAsStream("sandbox/service-logback.xml")) {
            if (in == null) {
                throw new IllegalStateException("missing resource sandbox/service-logback.xml");
            }
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    /** Waits until the JVM answers HTTP; fails with its log's last lines when it exits first. */
    void awaitReady(Replica replica) throws Exception {
        ChildJvm child = get(replica);
        String name = replica.name();
        URI health = URI.create(url(replica) + "/health");
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + SERVICE_START_TIMEOUT.toNanos();
        while (true) {
            if (!child.isAlive()) {
                throw new IllegalStateException(name + " exited while starting; the end of "
                        + logFile(replica) + ":" + System.lineSeparator() + child.logTail(30));
            }
            try {
                var response = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                progress.accept(name + " ready at " + url(replica) + " (pid " + child.pid()
                        + ", health " + response.statusCode() + ")");
                return;
            } catch (IOException e) {
                // Not listening yet.
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not answer within " + SERVICE_START_TIMEOUT
                        + "; see " + logFile(replica));
            }
            // A bounded wait for the child JVM (not a test): it has nothing to notify us with.
            child.awaitExit(Duration.ofMillis(300));
        }
    }

    /** Kills the JVM at once (SIGKILL: no shutdown hooks, no flush, no offset commit), as a crash would. */
    synchronized void kill(Replica replica) {
        progress.accept("killing " + replica.name() + " (kill -9, pid " + get(replica).pid() + ")");
        get(replica).kill();
    }

    synchronized ChildJvm get(Replica replica) {
        ChildJvm child = services.get(replica);
        if (child == null) {
            throw new IllegalStateException(replica.name() + " was not started");
        }
        return child;
    }

    synchronized String url(Replica replica) {
        return "http://127.0.0.1:" + httpPorts.get(replica);
    }

    Path logFile(Replica replica) {
        return layout.logDir().resolve(replica.name() + ".log");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /** Stops every JVM, newest first. */
    @Override
    public synchronized void close() {
        List<Replica> reverse = new ArrayList<>(services.keySet());
        Collections.reverse(reverse);
        for (Replica replica : reverse) {
            progress.accept("stopping " + replica.name() + " ...");
            services.get(replica).close();
        }
        services.clear();
    }
}
