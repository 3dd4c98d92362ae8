package io.k0rdent.ops.sandbox.network;

import io.k0rdent.ops.sandbox.ec2.Ec2Emulator;
import io.k0rdent.ops.sandbox.ec2.Flow;
import io.k0rdent.ops.sandbox.ec2.NetworkVerdict;
import io.k0rdent.ops.sandbox.hosts.SimulatedHosts;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the twin's network load balancers carry bytes in the sandbox: each listener of a live load balancer whose DNS
 * name is a loopback address (see {@link io.k0rdent.ops.sandbox.ec2.LoadBalancerDns}) is listened on at that address
 * and port; each connection goes where {@link Ec2Emulator#reach} sends it (a healthy target whose security groups
 * admit the operator), to the Kubernetes API that target serves. A connection the network would drop, to a port
 * nothing serves in the simulation (9443, 8132), or to a target whose API certificate does not name the load
 * balancer's DNS name ({@link SimulatedHosts#apiCertificateNames}) is closed at once. Listeners follow the load balancers: the set is
 * compared with the emulator's every {@code rescan}.
 */
public final class LoadBalancerForwarder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerForwarder.class);

    private record Endpoint(String address, int port) {
    }

    private final Ec2Emulator emulator;
    private final SimulatedHosts hosts;
    private final String operatorAddress;
    private final Vertx vertx;
    private final NetClient client;
    private final Map<Endpoint, NetServer> servers = new ConcurrentHashMap<>();
    private final long timer;

    private LoadBalancerForwarder(Ec2Emulator emulator, SimulatedHosts hosts, String operatorAddress,
                                  Duration rescan) {
        this.emulator = emulator;
        this.hosts = hosts;
        this.operatorAddress = operatorAddress;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        this.client = vertx.createNetClient();
        this.timer = vertx.setPeriodic(0, rescan.toMillis(), id -> vertx.executeBlocking(() -> {
            sync();
            return null;
        }, false));
    }

    /**
     * @param operatorAddress where connections to the load balancers come from, as the network sees them (the
     *                        provisioner's {@code admin-cidr})
     */
    public static LoadBalancerForwarder start(Ec2Emulator emulator, SimulatedHosts hosts, String operatorAddress,
                                              Duration rescan) {
        return new LoadBalancerForwarder(emulator, hosts, operatorAddress, rescan);
    }

    /** The addresses and ports listened on now, e.g. {@code 127.0.9.3:6443}. */
    public Set<String> listening() {
        return servers.keySet().stream().map(e -> e.address() + ":" + e.port()).collect(Collectors.toSet());
    }

    /** Listens on every loopback listener that appeared, stops listening on every one that is gone. */
    synchronized void sync() {
        Set<Endpoint> wanted = emulator.loadBalancerListeners().stream()
                .filter(l -> l.dnsName().startsWith("127."))
                .map(l -> new Endpoint(l.dnsName(), l.port())).collect(Collectors.toSet());
        servers.keySet().stream().filter(e -> !wanted.contains(e)).toList()
                .forEach(gone -> servers.remove(gone).close());
        for (Endpoint endpoint : wanted) {
            if (!servers.containsKey(endpoint)) {
                listen(endpoint);
            }
        }
    }

    private void listen(Endpoint endpoint) {
        NetServer server = vertx.createNetServer(new NetServerOptions().setHost(endpoint.address())
                .setPort(endpoint.port())).connectHandler(socket -> accept(endpoint, socket));
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            servers.put(endpoint, server);
        } catch (Exception e) {
            LOG.warn("cannot listen for load balancer {}:{}: {}", endpoint.address(), endpoint.port(),
                    e.toString());
        }
    }

    private void accept(Endpoint endpoint, NetSocket socket) {
        socket.pause();
        vertx.executeBlocking(() -> target(endpoint), false).onComplete(found -> {
            if (found.failed() || found.result().isEmpty()) {
                socket.close();
                return;
            }
            InetSocketAddress target = found.result().get();
            client.connect(target.getPort(), target.getHostString()).onComplete(upstream -> {
                if (upstream.failed()) {
                    socket.close();
                    return;
                }
                socket.pipeTo(upstream.result());
                upstream.result().pipeTo(socket);
            });
        });
    }

    private Optional<InetSocketAddress> target(Endpoint endpoint) {
        NetworkVerdict verdict = emulator.reach(Flow.fromOperatorNetwork(operatorAddress, endpoint.address(), "tcp",
                endpoint.port()));
        if (!verdict.delivered()) {
            LOG.info("connection to load balancer {}:{} dropped: {}", endpoint.address(), endpoint.port(),
                    verdict.reason());
            return Optional.empty();
        }
        if (endpoint.port() != hosts.apiPort()) {
            return Optional.empty(); // the simulation serves the Kubernetes API only
        }
        // The client dialled the load balancer's name; the controller answers with its own serving certificate,
        // which TLS verification accepts only if it names that (the simulated API speaks plain HTTP, so the
        // forwarder refuses on TLS's behalf).
        Set<String> names = hosts.apiCertificateNames(verdict.via());
        if (!names.contains(endpoint.address())) {
            LOG.info("connection to load balancer {}:{} refused: x509: certificate is valid for {}, not {}",
                    endpoint.address(), endpoint.port(), String.join(", ", names), endpoint.address());
            return Optional.empty();
        }
        return hosts.apiEndpoint(verdict.via());
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("closing the load balancer forwarder: {}", e.toString());
        }
    }
}
