package io.k0rdent.ops.sandbox.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Picks TCP ports on 127.0.0.1 that are free right now; the broker binds them moments later. */
final class FreePorts {

    private FreePorts() {
    }

    /**
     * @param avoid a port that must not be returned (e.g. one already chosen), or 0
     * @return a free port on the loopback interface
     */
    static int pick(int avoid) {
        for (int attempt = 0; attempt < 10; attempt++) {
            int port = pickOnce();
            if (port != avoid) {
                return port;
            }
        }
        throw new KafkaBrokerException("Could not find a free port on " + BrokerConfig.HOST + " other than " + avoid);
    }

    private static int pickOnce() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(BrokerConfig.HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not open a socket on " + BrokerConfig.HOST, e);
        }
    }
}
