package io.k0rdent.ops.notifier.commitstatus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server that answers one forge's commit status endpoint as strictly as the forge documents it:
 * method, path (GitLab: the project path URL-encoded as id), credential header, GitHub's {@code Accept} and
 * {@code X-GitHub-Api-Version}, JSON body with only the documented fields, the forge's state names, a 40-hex
 * commit id, GitHub's 140-character description limit. A valid request for the known repository and token gets
 * 201 with the created status, like the forge; a wrong token 401; another repository 404; a bad body 422.
 * Scripted answers (e.g. 429) come first.
 */
public final class ForgeStub implements AutoCloseable {

    /** A status the stub accepted. */
    public record Status(String repository, String sha, String state, String context, String description,
                         String targetUrl) {
    }

    /** A scripted answer for the next request. */
    public record Answer(int status, String body, Map<String, String> headers) {
    }

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Forge forge;
    private final String repository;
    private final String token;
    private final HttpServer server;
    private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
    private final List<Status> accepted = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong ids = new AtomicLong(1000);

    /**
     * @param repository the repository the stub knows, {@code owner/name} (GitLab: with subgroups)
     * @param token      the only token it accepts
     */
    public ForgeStub(Forge forge, String repository, String token) throws IOException {
        this.forge = forge;
        this.repository = repository;
        this.token = token;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
    }

    /** The API root to configure: {@code http://127.0.0.1:PORT} plus {@code /api/v4} (GitLab) or {@code /api/v1} (Gitea). */
    public String apiUrl() {
        String root = "http://127.0.0.1:" + server.getAddress().getPort();
        return switch (forge) {
            case GITHUB -> root;
            case GITLAB -> root + "/api/v4";
            case GITEA -> root + "/api/v1";
        };
    }

    public void script(Answer... answers) {
        script.addAll(List.of(answers));
    }

    public List<Status> accepted() {
        return List.copyOf(accepted);
    }

    /** Why requests were refused (a product bug unless the test provoked it). */
    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    public long requestCount() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Answer scripted = script.poll();
        if (scripted != null) {
            answer(exchange, scripted.status(), scripted.body(), scripted.headers());
            return;
        }
        try {
            Status status = validate(exchange, body);
            accepted.add(status);
            answer(exchange, 201, created(status), Map.of("Content-Type", "application/json"));
        } catch (Refusal refusal) {
            refusals.add(refusal.status + " " + refusal.getMessage());
            answer(exchange, refusal.status, "{\"message\":\"" + refusal.getMessage().replace("\"", "'") + "\"}",
                    Map.of("Content-Type", "application/json"));
        }
    }

    private Status validate(HttpExchange exchange, String body) throws Refusal {
        if (!exchange.getRequestMethod().equals("POST")) {
            throw new Refusal(404, "Not Found: method " + exchange.getRequestMethod());
        }
        String rawPath = exchange.getRequestURI().getRawPath();
        String repo;
        String sha;
        Matcher m;
        switch (forge) {
            case GITHUB -> {
                m = Pattern.compile("/repos/([^/]+)/([^/]+)/statuses/([^/]+)").matcher(rawPath);
                require(m.matches(), 404, "Not Found: path " + rawPath);
                repo = m.group(1) + "/" + m.group(2);
                sha = m.group(3);
                require(("Bearer " + token).equals(header(exchange, "Authorization")), 401, "Bad credentials");
                require("application/vnd.github+json".equals(header(exchange, "Accept")), 415, "Accept");
                require("2022-11-28".equals(header(exchange, "X-GitHub-Api-Version")), 400,
                        "X-GitHub-Api-Version");
            }
            case GITLAB -> {
                m = Pattern.compile("/api/v4/projects/([^/]+)/statuses/([^/]+)").matcher(rawPath);
                require(m.matches(), 404, "404 Not Found: path " + rawPath);
                repo = java.net.URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
                sha = m.group(2);
                require(token.equals(header(exchange, "PRIVATE-TOKEN")), 401, "401 Unauthorized");
            }
            case GITEA -> {
                m = Pattern.compile("/api/v1/repos/([^/]+)/([^/]+)/statuses/([^/]+)").matcher(rawPath);
                require(m.matches(), 404, "Not Found: path " + rawPath);
                repo = m.group(1) + "/" + m.group(2);
                sha = m.group(3);
                require(("token " + token).equals(header(exchange, "Authorization")), 401, "token is required");
            }
            default -> throw new IllegalStateException();
        }
        require(repo.equals(repository), 404, "Not Found: repository " + repo);
        require(SHA.matcher(sha).matches(), 422, "No commit found for SHA: " + sha);
        String contentType = header(exchange, "Content-Type");
        require(contentType != null && contentType.startsWith("application/json"), 415, "Content-Type");
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            throw new Refusal(400, "Problems parsing JSON");
        }
        require(json != null && json.isObject(), 400, "Body must be an object");
        String nameField = forge == Forge.GITLAB ? "name" : "context";
        Set<String> allowed = Set.of("state", nameField, "description", "target_url");
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            require(allowed.contains(field), 422, "unknown field " + field);
        }
        String state = json.path("state").asText(null);
        Set<String> states = switch (forge) {
            case GITHUB -> Set.of("error", "failure", "pending", "success");
            case GITLAB -> Set.of("pending", "running", "success", "failed", "canceled");
            case GITEA -> Set.of("pending", "success", "error", "failure", "warning");
        };
        require(state != null && states.contains(state), forge == Forge.GITLAB ? 400 : 422,
                "state does not have a valid value: " + state);
        String description = json.path("description").asText(null);
        if (forge == Forge.GITHUB) {
            require(description == null || description.codePointCount(0, description.length()) <= 140, 422,
                    "description is too long (maximum is 140 characters)");
        }
        return new Status(repo, sha, state, json.path(nameField).asText(null), description,
                json.path("target_url").asText(null));
    }

    private String created(Status status) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", ids.incrementAndGet());
        node.put(forge == Forge.GITLAB ? "status" : forge == Forge.GITEA ? "status" : "state", status.state());
        node.put(forge == Forge.GITLAB ? "name" : "context", status.context());
        node.put("description", status.description());
        node.put("target_url", status.targetUrl());
        node.put("sha", status.sha());
        node.put("created_at", "2026-11-25T09:30:00Z");
        return JSON.writeValueAsString(node);
    }

    private static String header(HttpExchange exchange, String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    private static void require(boolean condition, int status, String message) throws Refusal {
        if (!condition) {
            throw new Refusal(status, message);
        }
    }

    private static void answer(HttpExchange exchange, int status, String body, Map<String, String> headers)
            throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static final class Refusal extends Exception {
        private final int status;

        private Refusal(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }

    /** The states of the statuses accepted for {@code context}, in order. */
    public List<String> statesOf(String context) {
        List<String> states = new ArrayList<>();
        accepted.stream().filter(s -> context.equals(s.context())).forEach(s -> states.add(s.state()));
        return states;
    }
}
