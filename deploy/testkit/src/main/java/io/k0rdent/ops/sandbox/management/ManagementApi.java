package io.k0rdent.ops.sandbox.management;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.k0rdent.ops.sandbox.state.SnapshotFile;
import io.k0rdent.ops.sandbox.state.SnapshotSaver;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The sandbox's management cluster: a Kubernetes API (fabric8's mock server in CRUD mode) on 127.0.0.1,
 * where the bootstrap service stores each cluster's kubeconfig Secret. With a state directory, its Secrets and
 * ConfigMaps (all the bootstrap service writes there is Secrets) are saved shortly after every change and on close,
 * and created again at the next start; without one they live in memory only.
 */
public final class ManagementApi implements AutoCloseable {

    public static final String NAMESPACE = "k0rdent-system";
    /** The file under the state directory. */
    public static final String SNAPSHOT_FILE = "objects.json";

    private final KubernetesMockServer server;
    private final Path kubeconfig;
    private final NamespacedKubernetesClient client;
    private final int restored;
    private volatile SnapshotSaver<Objects> saver;

    /** What the management API holds, as a JSON file. */
    record Objects(int version, List<Secret> secrets, List<ConfigMap> configMaps) {
    }

    private ManagementApi(KubernetesMockServer server, Path kubeconfig, Path stateDir) {
        this.server = server;
        this.kubeconfig = kubeconfig;
        this.client = server.createClient();
        SnapshotFile<Objects> file = stateDir == null ? null
                : new SnapshotFile<>(stateDir.resolve(SNAPSHOT_FILE), Objects.class);
        this.restored = file == null ? 0 : file.read().map(this::restore).orElse(0);
        if (file != null) {
            saver = new SnapshotSaver<>(file, this::snapshot, Duration.ofMillis(200));
        }
    }

    /** Starts the API on a free port, in memory only, and writes a kubeconfig for it to {@code kubeconfig}. */
    public static ManagementApi start(Path kubeconfig) throws IOException {
        return start(kubeconfig, null);
    }

    /**
     * Starts the API on a free port with the objects saved in {@code stateDir} (if any; {@code null} for memory
     * only) and writes a kubeconfig for it to {@code kubeconfig}.
     */
    public static ManagementApi start(Path kubeconfig, Path stateDir) throws IOException {
        // The dispatcher exists before the API object that owns the saver; it finds it through this reference.
        AtomicReference<ManagementApi> self = new AtomicReference<>();
        // Every write through the API schedules a save; reads do not.
        KubernetesCrudDispatcher dispatcher = new KubernetesCrudDispatcher() {
            @Override
            public MockResponse handleCreate(RecordedRequest request) {
                return changed(self.get(), super.handleCreate(request));
            }

            @Override
            public MockResponse handleUpdate(RecordedRequest request) {
                return changed(self.get(), super.handleUpdate(request));
            }

            @Override
            public MockResponse handlePatch(RecordedRequest request) {
                return changed(self.get(), super.handlePatch(request));
            }

            @Override
            public MockResponse handleDelete(String path) {
                return changed(self.get(), super.handleDelete(path));
            }
        };
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        ManagementApi api;
        try {
            api = new ManagementApi(server, kubeconfig, stateDir);
        } catch (RuntimeException e) {
            server.destroy();
            throw e;
        }
        self.set(api);
        try {
            api.writeKubeconfig();
        } catch (IOException | RuntimeException e) {
            api.close();
            throw e;
        }
        return api;
    }

    private static MockResponse changed(ManagementApi api, MockResponse response) {
        if (api != null && api.saver != null) {
            api.saver.changed();
        }
        return response;
    }

    private int restore(Objects saved) {
        // The mock server refuses to create an object that already carries a resourceVersion.
        for (Secret secret : saved.secrets()) {
            secret.getMetadata().setResourceVersion(null);
            client.secrets().inNamespace(secret.getMetadata().getNamespace()).resource(secret).create();
        }
        for (ConfigMap map : saved.configMaps()) {
            map.getMetadata().setResourceVersion(null);
            client.configMaps().inNamespace(map.getMetadata().getNamespace()).resource(map).create();
        }
        return saved.secrets().size() + saved.configMaps().size();
    }

    private Objects snapshot() {
        return new Objects(1, client.secrets().inAnyNamespace().list().getItems(),
                client.configMaps().inAnyNamespace().list().getItems());
    }

    /** How many objects were created from the state directory at start. */
    public int restoredObjects() {
        return restored;
    }

    private void writeKubeconfig() throws IOException {
        Files.createDirectories(kubeconfig.toAbsolutePath().getParent());
        // The mock server accepts any token; a kubeconfig needs one to look like a real one.
        Files.writeString(kubeconfig, String.join("\n",
                "apiVersion: v1",
                "kind: Config",
                "clusters:",
                "- name: management",
                "  cluster:",
                "    server: " + url(),
                "contexts:",
                "- name: management",
                "  context:",
                "    cluster: management",
                "    user: sandbox",
                "    namespace: " + NAMESPACE,
                "current-context: management",
                "users:",
                "- name: sandbox",
                "  user:",
                "    token: sandbox",
                ""));
    }

    /** The API's URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        // The mock server names itself "localhost"; the address it listens on is what the services should use.
        return server.url("/").replaceAll("/$", "").replace("://localhost:", "://127.0.0.1:");
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    @Override
    public void close() {
        try {
            if (saver != null) {
                saver.close(); // the final state, while the API still answers
            }
        } finally {
            client.close();
            server.destroy();
        }
    }
}
