package io.k0rdent.ops.sandbox.slack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Stands in for Slack's incoming webhooks in the sandbox: accepts what the notifier posts, answers
 * {@code ok} like Slack does, and appends every message as one JSON line to a file people can read.
 */
public final class SlackSink implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "slack-sink");
        thread.setDaemon(true);
        return thread;
    });
    private final Path log;
    private final List<String> messages = new ArrayList<>();
    /** How the sink answers now; the fault suite switches it to 429 or 500 for a while. */
    private volatile Outage outage;
    private final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * An answer other than {@code ok}, as Slack gives under load or trouble; the message is not kept.
     *
     * @param status            e.g. 429 or 500
     * @param retryAfterSeconds the {@code Retry-After} header's value, or 0 for none
     */
    public record Outage(int status, int retryAfterSeconds) {
    }

    private SlackSink(HttpServer server, Path log) {
        this.server = server;
        this.log = log;
    }

    /** Listens on 127.0.0.1:{@code port} (0 picks a free port), appending messages to {@code log}. */
    public static SlackSink start(int port, Path log) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        SlackSink sink = new SlackSink(server, log);
        server.createContext("/", sink::handle);
        server.setExecutor(sink.executor);
        server.start();
        return sink;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String json = new String(body.readAllBytes(), StandardCharsets.UTF_8).replace("\n", " ");
            Outage now = outage;
            if (now != null) {
                refused.incrementAndGet();
                if (now.retryAfterSeconds() > 0) {
                    exchange.getResponseHeaders().add("Retry-After", Integer.toString(now.retryAfterSeconds()));
                }
                byte[] error = (now.status() == 429 ? "rate_limited" : "internal_error").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(now.status(), error.length);
                exchange.getResponseBody().write(error);
                return;
            }
            synchronized (messages) {
                messages.add(json);
                Files.writeString(log, json + System.lineSeparator(), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
        }
    }

    /** The webhook URL to configure as the notifier's Slack destination (any path is accepted). */
    public URI webhookUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/services/sandbox/k0rdent/webhook");
    }

    /** From now on, answer every message with {@code outage} instead of accepting it; {@code null} accepts again. */
    public void answerWith(Outage outage) {
        this.outage = outage;
    }

    /** How many messages were refused with an {@link Outage} since start. */
    public int refusedCount() {
        return refused.get();
    }

    /** Messages received since start, oldest first. */
    public List<String> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
