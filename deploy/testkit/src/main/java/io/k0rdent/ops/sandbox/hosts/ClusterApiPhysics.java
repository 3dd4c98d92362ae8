package io.k0rdent.ops.sandbox.hosts;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a simulated cluster's API does beyond storing objects: the eviction subresource with disruption budgets
 * ({@link EvictionSubresource}), the kubelets of probe pods ({@link ProbePods}), and the scheduling of add-on pods
 * after evictions and node changes ({@link ReplicaSetStandIn}). Every other request goes to the CRUD store as is.
 */
final class ClusterApiPhysics {

    private static final Pattern POD_COLLECTION = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods$");
    private static final Pattern NODE = Pattern.compile("^/api/v1/nodes/[^/]+$");

    private final CrudStore store;
    private final ReplicaSetStandIn replicaSets;
    private final EvictionSubresource evictions;
    private final ProbePods probes;

    ClusterApiPhysics(CrudStore store, Supplier<HostNetwork> network, BooleanSupplier encapsulateAll) {
        this.store = store;
        this.replicaSets = new ReplicaSetStandIn(store);
        this.evictions = new EvictionSubresource(store, replicaSets);
        this.probes = new ProbePods(store, network, encapsulateAll);
    }

    MockResponse handle(RecordedRequest request) {
        String path = request.getPath() == null ? "" : request.getPath().split("\\?", 2)[0];
        HttpMethod method = request.method();
        if (method == HttpMethod.POST) {
            Matcher eviction = EvictionSubresource.PATH.matcher(path);
            if (eviction.matches()) {
                return evictions.evict(eviction);
            }
            if (POD_COLLECTION.matcher(path).matches()) {
                // Reading the body consumes it: the store gets a request of its own either way.
                String body = request.getUtf8Body();
                Optional<Pod> run = probes.run(store.read(body, Pod.class));
                return store.dispatch(CrudStore.request(HttpMethod.POST, request.getPath(),
                        run.map(store::write).orElse(body)));
            }
        }
        MockResponse response = store.dispatch(request);
        if ((method == HttpMethod.PUT || method == HttpMethod.PATCH) && NODE.matcher(path).matches()
                && response.code() < 300) {
            // An uncordoned node takes the add-on pods that waited for one.
            replicaSets.schedulePending();
        }
        return response;
    }

    /** A node registered or changed readiness outside the API (its kubelet). */
    void nodesChanged() {
        replicaSets.schedulePending();
    }
}
