package io.k0rdent.ops.sandbox.hosts;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands out the loopback addresses of simulated hosts (and of what else needs one, e.g. a load balancer's DNS name):
 * {@code 127.1.1.1}, {@code 127.1.1.2}, ..., never twice, skipping those whose API port another process holds.
 */
final class LoopbackAddresses {

    private final int apiPort;
    // A random start keeps two sandboxes on one machine (a test run beside `k0ops up`) apart: each simulated
    // cluster API listens on the same port of its first controller's address.
    private final AtomicInteger next = new AtomicInteger(250 * new SecureRandom().nextInt(40_000));

    LoopbackAddresses(int apiPort) {
        this.apiPort = apiPort;
    }

    /** The next loopback address whose API port nobody else (another sandbox on this machine) holds. */
    String next() {
        for (int attempt = 0; ; attempt++) {
            int n = next.getAndIncrement();
            String address = "127." + (n / 62_250) + "." + (1 + (n / 250) % 249) + "." + (1 + n % 250);
            if (attempt >= 1_000 || portFree(address, apiPort)) {
                return address;
            }
        }
    }

    /** Where the sequence stands, for a snapshot. */
    int position() {
        return next.get();
    }

    /** Continues a saved sequence, so restored hosts' addresses are not handed out again. */
    void resumeAt(int position) {
        next.set(position);
    }

    static boolean portFree(String address, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(address, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
