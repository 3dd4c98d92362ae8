package io.k0rdent.ops.k0ops.up;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

/**
 * The sandbox's management cluster: a Kubernetes API (fabric8's mock server in CRUD mode) on 127.0.0.1,
 * where the bootstrap service stores each cluster's kubeconfig Secret. It keeps its objects in memory only.
 */
public final class ManagementApi implements AutoCloseable {

    public static final String NAMESPACE = "k0rdent-system";

    private final KubernetesMockServer server;
    private final Path kubeconfig;

    private ManagementApi(KubernetesMockServer server, Path kubeconfig) {
        this.server = server;
        this.kubeconfig = kubeconfig;
    }

    /** Starts the API on a free port and writes a kubeconfig for it to {@code kubeconfig}. */
    public static ManagementApi start(Path kubeconfig) throws IOException {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        ManagementApi api = new ManagementApi(server, kubeconfig);
        try {
            api.writeKubeconfig();
        } catch (IOException | RuntimeException e) {
            api.close();
            throw e;
        }
        return api;
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
        server.destroy();
    }
}
