package io.k0rdent.ops.k0ops.up;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for a Gitea server's commit-status API in the sandbox, so that a push shows its clusters' statuses as it
 * would on the forge: {@code POST /api/v1/repos/{owner}/{repo}/statuses/{sha}} (Gitea API, "Create a commit status":
 * {@code state} one of pending, success, error, failure, warning; {@code context}, {@code description},
 * {@code target_url}; {@code Authorization: token ...}) answers 201 with the status, and
 * {@code GET} on the same path lists them, newest first. Every accepted status is also one JSON line in a file.
 */
public final class ForgeStub implements AutoCloseable {

    /** The one repository the stub knows: the sandbox's GitOps repository, as {@code owner/repo}. */
    public static final String REPOSITORY = "sandbox/gitops";

    private static final Pattern STATUSES = Pattern.compile("/api/v1/repos/([^/]+)/([^/]+)/statuses/([0-9a-f]{40})");
    private static final Set<String> STATES = Set.of("pending", "success", "error", "failure", "warning");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "forge-stub");
        thread.setDaemon(true);
        return thread;
    });
    private final Path log;
    private final String token;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final List<ObjectNode> statuses = new ArrayList<>();

    private ForgeStub(HttpServer server, Path log, String token, Clock clock) {
        this.server = server;
        this.log = log;
        this.token = token;
        this.clock = clock;
    }

    /** Listens on 127.0.0.1:{@code port} (0: any), accepting {@code token}, appending statuses to {@code log}. */
    public static ForgeStub start(int port, Path log, String token) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        ForgeStub stub = new ForgeStub(server, log, token, Clock.systemUTC());
        server.createContext("/", stub::handle);
        server.setExecutor(stub.executor);
        server.start();
        return stub;
    }

    /** The API root to configure for a Gitea destination, e.g. {@code http://127.0.0.1:PORT/api/v1}. */
    public URI apiUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1");
    }

    /** The repository's web address the notifier derives owner and name from. */
    public URI repositoryUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + REPOSITORY);
    }

    /** Every status accepted so far, oldest first, as Gitea answers each one. */
    public List<JsonNode> statuses() {
        synchronized (statuses) {
            return List.copyOf(statuses);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher path = STATUSES.matcher(exchange.getRequestURI().getPath());
            if (!path.matches() || !REPOSITORY.equals(path.group(1) + "/" + path.group(2))) {
                answer(exchange, 404, "{\"message\":\"The target couldn't be found.\"}");
                return;
            }
            if (!("token " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, "{\"message\":\"token is required\"}");
                return;
            }
            String sha = path.group(3);
            if ("GET".equals(exchange.getRequestMethod())) {
                ArrayNode list = json.createArrayNode();
                synchronized (statuses) {
                    for (int i = statuses.size() - 1; i >= 0; i--) {
                        if (sha.equals(statuses.get(i).path("sha").asText())) {
                            list.add(statuses.get(i));
                        }
                    }
                }
                answer(exchange, 200, json.writeValueAsString(list));
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                answer(exchange, 405, "{\"message\":\"method not allowed\"}");
                return;
            }
            JsonNode body;
            try {
                body = json.readTree(exchange.getRequestBody().readAllBytes());
            } catch (IOException e) {
                answer(exchange, 422, "{\"message\":\"invalid JSON\"}");
                return;
            }
            String state = body.path("state").asText();
            if (!STATES.contains(state)) {
                answer(exchange, 422, "{\"message\":\"state is not one of " + STATES + "\"}");
                return;
            }
            ObjectNode status = json.createObjectNode();
            synchronized (statuses) {
                status.put("id", statuses.size() + 1);
                status.put("status", state);
                status.put("context", body.path("context").asText(""));
                status.put("description", body.path("description").asText(""));
                status.put("target_url", body.path("target_url").asText(""));
                status.put("sha", sha);
                status.put("created_at", clock.instant().toString());
                statuses.add(status);
            }
            Files.writeString(log, json.writeValueAsString(status) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            answer(exchange, 201, json.writeValueAsString(status));
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
