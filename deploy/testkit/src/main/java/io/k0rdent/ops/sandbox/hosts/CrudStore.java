package io.k0rdent.ops.sandbox.hosts;

import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * One simulated cluster's object store (fabric8's CRUD dispatcher) as the twin's own controllers use it from inside a
 * request: typed reads, writes and deletes by API path, without a round trip through HTTP (which, from the server's
 * event loop, could wait on itself).
 */
final class CrudStore {

    private final KubernetesCrudDispatcher dispatcher;
    private final KubernetesSerialization json;

    /** @param json shared by every cluster: each instance holds its own object mapper and type registry (megabytes) */
    CrudStore(KubernetesCrudDispatcher dispatcher, KubernetesSerialization json) {
        this.dispatcher = dispatcher;
        this.json = json;
    }

    MockResponse dispatch(RecordedRequest request) {
        return dispatcher.dispatch(request);
    }

    <T extends KubernetesResource> Optional<T> get(String path, Class<T> type) {
        MockResponse response = dispatcher.handleGet(path);
        if (response.code() != 200) {
            return Optional.empty();
        }
        return Optional.of(json.unmarshal(body(response), type));
    }

    <T extends io.fabric8.kubernetes.api.model.HasMetadata, L extends KubernetesResourceList<T>> List<T> list(String path, Class<L> type) {
        MockResponse response = dispatcher.handleGet(path);
        if (response.code() != 200) {
            return List.of();
        }
        L list = json.unmarshal(body(response), type);
        return list.getItems() == null ? List.of() : list.getItems();
    }

    void delete(String path) {
        dispatcher.handleDelete(path);
    }

    /** Creates {@code object} at {@code collectionPath}, as a POST from a client would. */
    MockResponse create(String collectionPath, Object object) {
        return dispatcher.dispatch(request(HttpMethod.POST, collectionPath, json.asJson(object)));
    }

    /** Replaces the object at {@code path}, as a PUT from a client would. */
    MockResponse replace(String path, Object object) {
        return dispatcher.dispatch(request(HttpMethod.PUT, path, json.asJson(object)));
    }

    <T> T read(String body, Class<T> type) {
        return json.unmarshal(body, type);
    }

    String write(Object object) {
        return json.asJson(object);
    }

    static RecordedRequest request(HttpMethod method, String path, String body) {
        Buffer buffer = new Buffer();
        buffer.writeString(body, StandardCharsets.UTF_8);
        return new RecordedRequest("HTTP/1.1", method, path,
                Headers.builder().add("Content-Type", "application/json").build(), buffer);
    }

    static String body(MockResponse response) {
        return response.getBody() == null ? "" : response.getBody().readString(StandardCharsets.UTF_8);
    }
}
