package io.k0rdent.ops.sandbox.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for a Gitea forge's commit status API in the sandbox, so people see the statuses the notifier sets on
 * their pushes: {@code POST /api/v1/repos/sandbox/clusters/statuses/{sha}} with {@code Authorization: token ...}
 * and a {@code CreateStatusOption} body, answered 201 like Gitea; {@code GET} on the same path lists the commit's
 * statuses, newest first. Every accepted status is appended as one JSON line to a file people can read.
 */
public final class ForgeStatusSink implements AutoCloseable {

    /** The repository the sink serves; the notifier's sandbox destination names it. */
    public static final String REPOSITORY = "sandbox/clusters";

    private static final Pattern PATH = Pattern.compile("/api/v1/repos/" + REPOSITORY + "/statuses/([0-9a-f]{40})");
    private static final Set<String> STATES = Set.of("pending", "success", "error", "failure", "warning");
    private static final Set<String> FIELDS = Set.of("state", "context", "description", "target_url");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String token;
    private final Path log;
    private final Clock clock;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "forge-status-sink");
        thread.setDaemon(true);
        return thread;
    });
    private final List<ObjectNode> statuses = new ArrayList<>();

    private ForgeStatusSink(HttpServer server, String token, Path log, Clock clock) {
        this.server = server;
        this.token = token;
        this.log = log;
        this.clock = clock;
    }

    /** Listens on 127.0.0.1:{@code port} (0 picks a free port), accepting only {@code token}. */
    public static ForgeStatusSink start(int port, String token, Path log, Clock clock) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        ForgeStatusSink sink = new ForgeStatusSink(server, token, log, clock);
        server.createContext("/", sink::handle);
        server.setExecutor(sink.executor);
        server.start();
        return sink;
    }

    /** The API root the notifier's destination uses. */
    public String apiUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1";
    }

    /** The repository URL the notifier's destination names. */
    public String repositoryUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + REPOSITORY + ".git";
    }

    /**
     * The notifier settings of a commit-status destination writing here, told in addition to every other
     * destination ({@code keep-default}).
     */
    public Map<String, String> notifierSettings(Path tokenFile) {
        Map<String, String> settings = new LinkedHashMap<>();
        String destination = "k0rdent.notifier.destinations.sandbox-forge.";
        settings.put(destination + "type", "commit-status");
        settings.put(destination + "forge", "gitea");
        settings.put(destination + "api-url", apiUrl());
        settings.put(destination + "token-file", tokenFile.toString());
        // The sandbox's clone URL is a file:// URL; the statuses go to the stand-in's repository.
        settings.put(destination + "repository", repositoryUrl());
        settings.put(destination + "min-interval", "100ms");
        settings.put("k0rdent.notifier.routes.commit-statuses.types", "definition,infrastructure,bootstrap");
        settings.put("k0rdent.notifier.routes.commit-statuses.keep-default", "true");
        settings.put("k0rdent.notifier.routes.commit-statuses.destinations", "sandbox-forge");
        return settings;
    }

    /** Statuses accepted since start, oldest first, as the JSON Gitea answers with. */
    public List<String> statuses() {
        synchronized (statuses) {
            return statuses.stream().map(JsonNode::toString).toList();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            Matcher path = PATH.matcher(exchange.getRequestURI().getRawPath());
            if (!path.matches()) {
                answer(exchange, 404, "{\"message\":\"Not Found\"}");
                return;
            }
            if (!("token " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, "{\"message\":\"token is required\"}");
                return;
            }
            String sha = path.group(1);
            if ("GET".equals(exchange.getRequestMethod())) {
                answer(exchange, 200, list(sha));
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                answer(exchange, 405, "{\"message\":\"Method Not Allowed\"}");
                return;
            }
            JsonNode request;
            try {
                request = JSON.readTree(body.readAllBytes());
            } catch (IOException e) {
                answer(exchange, 400, "{\"message\":\"invalid JSON\"}");
                return;
            }
            String problem = problem(request);
            if (problem != null) {
                answer(exchange, 422, JSON.createObjectNode().put("message", problem).toString());
                return;
            }
            answer(exchange, 201, accept(sha, request).toString());
        }
    }

    private static String problem(JsonNode request) {
        if (request == null || !request.isObject()) {
            return "body must be a JSON object";
        }
        for (var it = request.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                return "unknown field " + field;
            }
        }
        return STATES.contains(request.path("state").asText()) ? null : "invalid state";
    }

    private ObjectNode accept(String sha, JsonNode request) throws IOException {
        synchronized (statuses) {
            ObjectNode status = JSON.createObjectNode();
            status.put("id", statuses.size() + 1);
            status.put("sha", sha);
            status.put("status", request.path("state").asText());
            status.put("context", request.path("context").asText(""));
            status.put("description", request.path("description").asText(""));
            status.put("target_url", request.path("target_url").asText(""));
            status.put("created_at", clock.instant().toString());
            statuses.add(status);
            Files.writeString(log, status + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return status;
        }
    }

    private String list(String sha) {
        ArrayNode list = JSON.createArrayNode();
        synchronized (statuses) {
            for (int i = statuses.size() - 1; i >= 0; i--) {
                if (statuses.get(i).path("sha").asText().equals(sha)) {
                    list.add(statuses.get(i));
                }
            }
        }
        return list.toString();
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
