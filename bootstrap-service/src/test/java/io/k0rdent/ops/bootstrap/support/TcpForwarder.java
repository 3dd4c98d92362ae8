package io.k0rdent.ops.bootstrap.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A network load balancer's stand-in for the bootstrap's own tests: listens on an address of its own and forwards
 * each connection to whatever {@code target} names at that moment (the controller serving the API), closing it when
 * nothing does.
 */
public final class TcpForwarder implements AutoCloseable {

    private final ServerSocket server;
    private final Supplier<Optional<InetSocketAddress>> target;
    private final AtomicInteger connections = new AtomicInteger();

    public TcpForwarder(String address, int port, Supplier<Optional<InetSocketAddress>> target) throws IOException {
        this.server = new ServerSocket();
        this.server.bind(new InetSocketAddress(InetAddress.getByName(address), port));
        this.target = target;
        Thread acceptor = new Thread(this::accept, "tcp-forwarder-" + address);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** How many connections were forwarded so far. */
    public int connections() {
        return connections.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Optional<InetSocketAddress> to = target.get();
                if (to.isEmpty()) {
                    client.close();
                    continue;
                }
                Socket upstream = new Socket(to.get().getAddress(), to.get().getPort());
                connections.incrementAndGet();
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // closed, or one connection failed: the next one is served
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // the other side closed
            } finally {
                try {
                    to.shutdownOutput();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "tcp-forwarder-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
