package io.k0rdent.ops.sandbox.hosts;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.vertx.HttpServerRequestHandler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Serves the Kubernetes APIs of all simulated clusters from ONE Vert.x instance. fabric8's {@code MockWebServer}
 * creates a Vert.x instance (event loops, worker pool, selectors) per server, and the client it hands out another:
 * about ten threads and thirty file descriptors per cluster, which a thousand sandbox clusters cannot afford. Here
 * each cluster keeps its own CRUD store ({@link KubernetesCrudDispatcher}, what the mock server runs in CRUD mode)
 * and its own listening socket on its address; the event loops and the simulation's HTTP client are shared.
 */
final class ClusterApiServers implements AutoCloseable {

    /** One running API: its socket and the simulation's client of it. */
    record Api(HttpServer server, NamespacedKubernetesClient client, ClusterApiPhysics physics)
            implements AutoCloseable {
        @Override
        public void close() {
            client.close();
            await(server.close().toCompletionStage().toCompletableFuture(), "close");
        }
    }

    private final Vertx vertx;
    private final VertxHttpClientFactory clients;
    /** One (de)serializer for every cluster's physics: each instance is megabytes of mappers and type registry. */
    private final io.fabric8.kubernetes.client.utils.KubernetesSerialization json =
            new io.fabric8.kubernetes.client.utils.KubernetesSerialization();

    ClusterApiServers() {
        // Two event loops carry every API's requests; the simulated APIs answer from memory, nothing blocks.
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(2));
        this.clients = new VertxHttpClientFactory(vertx);
    }

    /**
     * Listens on {@code address:port} with an empty CRUD store and the cluster's {@link ClusterApiPhysics}; fails when
     * the address cannot be bound.
     *
     * @param network        the hosts' network, for the pods' traffic
     * @param encapsulateAll whether the cluster's kube-router runs with {@code overlay-type: full} now
     */
    Api start(String address, int port, java.util.function.Supplier<HostNetwork> network,
              java.util.function.BooleanSupplier encapsulateAll) {
        ClusterApiPhysics physics = new ClusterApiPhysics(new CrudStore(new KubernetesCrudDispatcher(), json), network,
                encapsulateAll);
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(address).setPort(port)
                        .setHandle100ContinueAutomatically(true))
                .requestHandler(new HttpServerRequestHandler(vertx) {
                    @Override
                    protected MockResponse onHttpRequest(RecordedRequest request) {
                        return physics.handle(request);
                    }
                });
        await(server.listen().toCompletionStage().toCompletableFuture(), "listen on " + address + ":" + port);
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://" + address + ":" + port)
                .withNamespace("default").withTrustCerts(true).withRequestRetryBackoffLimit(0).build();
        NamespacedKubernetesClient client = new KubernetesClientBuilder().withConfig(config)
                .withHttpClientFactory(clients).build().adapt(NamespacedKubernetesClient.class);
        return new Api(server, client, physics);
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future, String what) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot " + what, e instanceof ExecutionException ? e.getCause() : e);
        }
    }

    @Override
    public void close() {
        await(vertx.close().toCompletionStage().toCompletableFuture(), "stop the cluster APIs' Vert.x");
    }
}
