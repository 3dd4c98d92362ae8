package io.k0rdent.ops.notifier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on 127.0.0.1 standing in for Slack or a webhook receiver: answers from a script
 * (then 200 "ok"), and records every request.
 */
public final class FakeHttpEndpoint implements AutoCloseable {

    /** One scripted answer. */
    public record Answer(int status, String body, Map<String, String> headers) {
        public static Answer ok() {
            return new Answer(200, "ok", Map.of());
        }
    }

    /** One received request. */
    public record Request(String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
    private final Map<String, Answer> alwaysByPath = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Set<String> stalled = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closing = new CountDownLatch(1);

    public FakeHttpEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    /** The URL of {@code path} on this server, e.g. {@code /services/T000/B000/XXX}. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next requests get these answers, in order (any path). */
    public void script(Answer... answers) {
        script.addAll(List.of(answers));
    }

    /** Every request to {@code path} gets {@code answer}, before the script. */
    public void always(String path, Answer answer) {
        alwaysByPath.put(path, answer);
    }

    /** Requests to {@code path} get the script's answers again (or 200), as before {@link #always}. */
    public void answerNormally(String path) {
        alwaysByPath.remove(path);
    }

    /** Requests to {@code path} get no answer until this endpoint is closed: a destination that hangs. */
    public void stall(String path) {
        stalled.add(path);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        requests.add(new Request(path, Map.copyOf(exchange.getRequestHeaders()), body));
        if (stalled.contains(path)) {
            try {
                closing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        Answer answer = alwaysByPath.get(path);
        if (answer == null) {
            answer = script.poll();
        }
        if (answer == null) {
            answer = Answer.ok();
        }
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
