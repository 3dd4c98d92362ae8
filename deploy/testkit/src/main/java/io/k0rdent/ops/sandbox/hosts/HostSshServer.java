package io.k0rdent.ops.sandbox.hosts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.io.IoAcceptor;
import org.apache.sshd.common.io.IoServiceEventListener;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.ServerBuilder;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.server.forward.TcpForwardingFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ONE Apache MINA {@link SshServer} behind every {@link SimulatedHost}: each host's loopback address is bound on
 * the same port, and the session's local address tells which host a client reached (its host key, its login, the
 * host that runs its commands on the shared executor). Connections the {@link HostNetwork} would not deliver are
 * closed at once; a host can be a bastion to loopback addresses only.
 */
final class HostSshServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HostSshServer.class);

    /** A server that can bind more addresses after start; MINA keeps its acceptor protected. */
    private static final class Server extends SshServer {

        void bindMore(SocketAddress address) throws IOException {
            acceptor.bind(address);
        }

        void unbindOne(SocketAddress address) {
            acceptor.unbind(address);
        }
    }

    private final Function<String, SimulatedHost> hostAt;
    private final ExecutorService commands;
    private final Server server;
    private final int port;

    /**
     * Starts the server on 127.0.0.1.
     *
     * @param requestedPort  the port to listen on, 0 for a free one
     * @param authorizedKeys public keys allowed to log in on every host
     * @param commandThreads threads interpreting commands for all hosts
     * @param hostAt         the host at a loopback address, or {@code null}
     * @param network        the network the hosts are behind now
     */
    HostSshServer(int requestedPort, List<PublicKey> authorizedKeys, int commandThreads, Function<String, SimulatedHost> hostAt,
                  Supplier<HostNetwork> network) throws IOException {
        this.hostAt = hostAt;
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadFactory daemon = r -> {
            Thread t = new Thread(r, "simulated-host-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.commands = Executors.newFixedThreadPool(commandThreads, daemon);
        // The builder installs MINA's default ciphers, key exchanges and MACs, as setUpDefaultServer() does.
        this.server = (Server) ServerBuilder.builder().factory(Server::new).build();
        server.setHost("127.0.0.1");
        server.setPort(requestedPort);
        server.setKeyPairProvider(new PerHostKeys());
        // Classical key exchanges only: MINA's post-quantum hybrids (ML-KEM, sntrup761) are pure Java and
        // cost a large share of a 2-core machine per handshake; what is simulated here is k0s, not KEX.
        server.setKeyExchangeFactories(NamedFactory.setUpTransformedFactories(false,
                List.of(BuiltinDHFactories.curve25519, BuiltinDHFactories.ecdhp256), ServerBuilder.DH2KEX));
        // Many small exchanges per command: without TCP_NODELAY each waits for delayed ACKs.
        CoreModuleProperties.TCP_NODELAY.set(server, true);
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setPublickeyAuthenticator((username, key, session) -> {
            SimulatedHost host = hostAt.apply(address(session.getLocalAddress()));
            return host != null && host.user().equals(username)
                    && authorizedKeys.stream().anyMatch(k -> KeyUtils.compareKeys(k, key));
        });
        server.setCommandFactory((channel, line) -> new HostCommand(line));
        // A connection the network would not deliver never reaches sshd. On AWS it goes unanswered; here it is
        // closed at once, which an SSH client meets the same way: no session, try again later.
        server.setIoServiceEventListener(new IoServiceEventListener() {
            @Override
            public void connectionAccepted(IoAcceptor acceptor, SocketAddress local, SocketAddress remote,
                                           SocketAddress service) throws IOException {
                SimulatedHost host = hostAt.apply(address(local));
                Optional<String> blocked = host == null ? Optional.empty()
                        : network.get().operatorSshBlocked(host.hostname());
                if (blocked.isPresent()) {
                    LOG.info("SSH to {} dropped by the network: {}", host.hostname(), blocked.get());
                    throw new IOException("dropped by the network: " + blocked.get());
                }
            }
        });
        // A host can be a bastion: it forwards direct-tcpip connections, but only to loopback addresses, so
        // nothing in the sandbox can reach beyond the machine; remote forwarding (listening) is refused.
        server.setForwardingFilter(ForwardingFilter.asForwardingFilter(null, null, new TcpForwardingFilter() {
            @Override
            public boolean canListen(SshdSocketAddress address, Session session) {
                return false;
            }

            @Override
            public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
                SimulatedHost bastion = hostAt.apply(address(session.getLocalAddress()));
                if (type != Type.Direct || bastion == null || !isLoopback(address.getHostName())) {
                    return false;
                }
                bastion.recordTunnel(address.getHostName() + ":" + address.getPort());
                return true;
            }
        }));
        server.start();
        this.port = ((InetSocketAddress) server.getBoundAddresses().iterator().next()).getPort();
    }

    /** The SSH port of every host. */
    int port() {
        return port;
    }

    /** Starts listening on {@code address} (the port of every host). */
    void bind(String address) throws IOException {
        server.bindMore(new InetSocketAddress(address, port));
    }

    /** Closes the listening socket of {@code address}; sessions already open go on, other addresses keep theirs. */
    void unbind(String address) {
        server.getBoundAddresses().stream()
                .filter(a -> address(a).equals(address))
                .findFirst()
                .ifPresent(server::unbindOne);
    }

    boolean isBound(String address) {
        return server.getBoundAddresses().stream().anyMatch(a -> address(a).equals(address));
    }

    private static boolean isLoopback(String host) {
        try {
            // Only literal addresses: a name would need a lookup, and nothing in the sandbox uses names.
            return host.matches("[0-9.]+") && java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static String address(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : String.valueOf(address);
    }

    @Override
    public void close() {
        try {
            server.stop(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            commands.shutdownNow();
        }
    }

    /** Each host presents its own key: the one of the address the client connected to. */
    private final class PerHostKeys implements KeyPairProvider {

        private final KeyPair fallback = HostKeys.generate();

        @Override
        public Iterable<KeyPair> loadKeys(SessionContext session) {
            if (session == null) {
                return List.of(fallback);
            }
            SimulatedHost host = hostAt.apply(address(session.getLocalAddress()));
            return List.of(host == null ? fallback : host.hostKey());
        }
    }

    /** One exec request: interpreted by the host on the shared executor, never on an NIO thread. */
    private final class HostCommand implements Command {

        private final String line;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        HostCommand(String line) {
            this.line = line;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            SimulatedHost host = hostAt.apply(address(channel.getSession().getLocalAddress()));
            commands.execute(() -> {
                int status = 255;
                try {
                    if (host == null) {
                        err.write("no simulated host at this address\n".getBytes(StandardCharsets.UTF_8));
                    } else {
                        CommandResult result = host.execute(line, in);
                        out.write(result.stdout().getBytes(StandardCharsets.UTF_8));
                        err.write(result.stderr().getBytes(StandardCharsets.UTF_8));
                        status = result.exitStatus();
                    }
                    out.flush();
                    err.flush();
                } catch (IOException | RuntimeException e) {
                    status = 255;
                } finally {
                    // Whatever happened, the client must get an exit status instead of waiting for its timeout.
                    exit.onExit(status);
                }
            });
        }

        @Override
        public void destroy(ChannelSession channel) {
            // Commands are short and in memory; there is nothing to interrupt.
        }
    }
}
