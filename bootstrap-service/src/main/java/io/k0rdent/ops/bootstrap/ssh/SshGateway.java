package io.k0rdent.ops.bootstrap.ssh;

import io.k0rdent.ops.bootstrap.config.BootstrapProperties;
import io.k0rdent.ops.bootstrap.k0s.CommandResult;
import io.k0rdent.ops.bootstrap.k0s.RemoteCommand;
import io.k0rdent.ops.bootstrap.k0s.SafeValues;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one adapter to SSH (Apache MINA SSHD client). Opens authenticated sessions with the configured
 * private key, optionally through a bastion (a local port forward over a session to the jump host),
 * and verifies every host key: against the fingerprint the provisioner pinned in the event, else
 * against the configured known_hosts, else only when unknown keys are explicitly accepted (sandbox).
 * The key material is read once and never logged.
 */
@Singleton
public final class SshGateway implements ShellConnector, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SshGateway.class);
    private static final Pattern JUMP_HOST = Pattern.compile("([^@]+)@([^:]+):([0-9]{1,5})");

    /** The connection attempt a session belongs to, so the verifier knows what to expect and can say why it refused. */
    private static final AttributeRepository.AttributeKey<Attempt> ATTEMPT = new AttributeRepository.AttributeKey<>();

    /**
     * One connection attempt: the host it is for (not a tunnel's local end), and why the host key was
     * refused, if it was. Kept outside the session because MINA clears a session's attributes when a
     * failed key exchange closes it, possibly before the caller looks.
     */
    private record Attempt(SshTarget target, AtomicReference<SshException> refusal) {
    }

    private final BootstrapProperties.Ssh settings;
    private final PrivateKeys keys;
    private final SshTarget jumpHost;
    private final SshClient client;

    public SshGateway(BootstrapProperties properties) {
        this(properties.ssh());
    }

    public SshGateway(BootstrapProperties.Ssh settings) {
        this.settings = settings;
        this.keys = new PrivateKeys(settings.privateKeysDir(), settings.privateKeyFile(), settings.privateKeyName());
        this.jumpHost = parseJumpHost(settings.jumpHost(), settings.jumpHostFingerprint());
        this.client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier((session, remote, key) -> verifyHostKey(session, key));
        // Commands are many small request/response exchanges; Nagle's algorithm would add a delay to each.
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        client.start();
    }

    private static SshTarget parseJumpHost(String spec, String fingerprint) {
        if (spec == null || spec.isBlank()) {
            return null;
        }
        Matcher m = JUMP_HOST.matcher(spec.strip());
        if (!m.matches()) {
            throw new IllegalStateException("k0rdent.bootstrap.ssh.jump-host must be user@host:port, got " + spec);
        }
        return new SshTarget(SafeValues.address(m.group(2)), SafeValues.port(Integer.parseInt(m.group(3))),
                SafeValues.sshUser(m.group(1)), fingerprint);
    }

    @Override
    public java.util.Optional<String> missingKey(String keyName) {
        return keys.missing(keyName);
    }

    private boolean verifyHostKey(ClientSession session, PublicKey key) {
        Attempt attempt = session.getConnectionContext() == null ? null : session.getConnectionContext().getAttribute(ATTEMPT);
        String presented = KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
        if (attempt == null) {
            return false;
        }
        SshTarget target = attempt.target();
        if (target.pinnedFingerprint() != null) {
            if (target.pinnedFingerprint().equals(presented)) {
                return true;
            }
            attempt.refusal().set(new SshException(SshException.Kind.HOST_KEY_MISMATCH,
                    "host key mismatch for " + target + ": expected " + target.pinnedFingerprint()
                            + ", the host presented " + presented, null));
            return false;
        }
        if (settings.knownHostsFile() != null) {
            if (knownHost(target, key)) {
                return true;
            }
            attempt.refusal().set(new SshException(SshException.Kind.HOST_KEY_MISMATCH,
                    "host key of " + target + " (" + presented + ") is not listed for it in known_hosts "
                            + settings.knownHostsFile(), null));
            return false;
        }
        if (settings.acceptUnknownHostKeys()) {
            return true;
        }
        attempt.refusal().set(new SshException(SshException.Kind.HOST_KEY_UNKNOWN,
                "host key of " + target + " (" + presented + ") is not pinned and no known_hosts is configured", null));
        return false;
    }

    /**
     * Whether known_hosts lists {@code key} for the target's own host and port. Matched against the
     * target, not the socket address, because through a bastion the socket is a local tunnel end.
     * Re-read on every connection so that a rotated file needs no restart.
     */
    private boolean knownHost(SshTarget target, PublicKey key) {
        try {
            for (KnownHostEntry entry : KnownHostEntry.readKnownHostEntries(settings.knownHostsFile())) {
                if (entry.isHostMatch(target.host(), target.port()) && entry.getKeyEntry() != null) {
                    PublicKey listed = entry.getKeyEntry().resolvePublicKey(null, null, PublicKeyEntryResolver.IGNORING);
                    if (listed != null && KeyUtils.compareKeys(listed, key)) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException | GeneralSecurityException e) {
            LOG.warn("cannot read known_hosts {}: {}", settings.knownHostsFile(), e.getMessage());
            return false;
        }
    }

    @Override
    public RemoteShell connect(SshTarget target) {
        if (jumpHost == null) {
            return new Shell(target, openWhenBooted(target, target.host(), target.port()), null, null);
        }
        ClientSession bastion;
        try {
            bastion = open(jumpHost, jumpHost.host(), jumpHost.port());
        } catch (SshException e) {
            throw new SshException(e.kind(), "jump host: " + e.getMessage(), e);
        }
        ExplicitPortForwardingTracker tunnel = null;
        try {
            // The tunnel listens on loopback only, for this one connection.
            tunnel = bastion.createLocalPortForwardingTracker(new SshdSocketAddress("127.0.0.1", 0),
                    new SshdSocketAddress(target.host(), target.port()));
            SshdSocketAddress local = tunnel.getBoundAddress();
            return new Shell(target, openWhenBooted(target, local.getHostName(), local.getPort()), tunnel, bastion);
        } catch (IOException e) {
            bastion.close(true);
            throw new SshException(SshException.Kind.UNREACHABLE,
                    "cannot tunnel to " + target + " through " + jumpHost + ": " + e.getMessage(), e);
        } catch (SshException e) {
            closeQuietly(tunnel);
            bastion.close(true);
            throw e;
        }
    }

    /**
     * {@link #open}, given {@code boot-timeout} to succeed while the node is unreachable: EC2 reports an instance
     * {@code running} before it has booted and its sshd listens, so a refused or dropped connection right after launch
     * is expected. A host key or login refusal is final at once.
     */
    private ClientSession openWhenBooted(SshTarget target, String host, int port) {
        long deadline = System.nanoTime() + settings.bootTimeout().toNanos();
        long pauseMillis = 250;
        while (true) {
            try {
                return open(target, host, port);
            } catch (SshException e) {
                if (e.kind() != SshException.Kind.UNREACHABLE
                        || System.nanoTime() + pauseMillis * 1_000_000 > deadline) {
                    throw e;
                }
                LOG.info("{} does not answer yet ({}); trying again in {} ms", target, e.getMessage(), pauseMillis);
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pauseMillis = Math.min(pauseMillis * 2, 5_000);
            }
        }
    }

    /** An authenticated session with {@code target}, whose socket is {@code host:port} (the target or a tunnel). */
    private ClientSession open(SshTarget target, String host, int port) {
        Attempt attempt = new Attempt(target, new AtomicReference<>());
        AttributeRepository context = AttributeRepository.ofKeyValuePair(ATTEMPT, attempt);
        Duration timeout = settings.connectTimeout();
        ClientSession session;
        try {
            session = client.connect(target.user(), host, port, context).verify(timeout).getSession();
        } catch (IOException | RuntimeException e) {
            if (attempt.refusal().get() != null) {
                throw attempt.refusal().get();
            }
            throw new SshException(SshException.Kind.UNREACHABLE, "cannot connect to " + target + ": " + e.getMessage(), e);
        }
        try {
            keys.forKeyPair(target.keyName()).forEach(session::addPublicKeyIdentity);
            session.auth().verify(timeout);
            return session;
        } catch (IOException | RuntimeException e) {
            SshException refusal = attempt.refusal().get();
            boolean authenticated = session.isAuthenticated();
            session.close(true);
            if (refusal != null) {
                throw refusal;
            }
            if (authenticated) {
                throw new SshException(SshException.Kind.UNREACHABLE, "session to " + target + " broke: " + e.getMessage(), e);
            }
            String message = String.valueOf(e.getMessage());
            boolean rejected = message.contains("No more authentication methods") || message.contains("authentication");
            throw new SshException(rejected ? SshException.Kind.AUTHENTICATION_FAILED : SshException.Kind.UNREACHABLE,
                    (rejected ? "SSH authentication failed for " + target + " (public key rejected)"
                            : "cannot open a session on " + target) + ": " + message, e);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // Already failing; the original error is the one to report.
            }
        }
    }

    @PreDestroy
    @Override
    public void close() {
        try {
            client.stop();
        } catch (RuntimeException ignored) {
            // Closing on shutdown: nothing left to do with a failure.
        }
    }

    /** A session on one node, with the tunnel and bastion session it runs through, if any. */
    private final class Shell implements RemoteShell {

        private final SshTarget target;
        private final ClientSession session;
        private final ExplicitPortForwardingTracker tunnel;
        private final ClientSession bastion;

        Shell(SshTarget target, ClientSession session, ExplicitPortForwardingTracker tunnel, ClientSession bastion) {
            this.target = target;
            this.session = session;
            this.tunnel = tunnel;
            this.bastion = bastion;
        }

        @Override
        public String host() {
            return target.host();
        }

        @Override
        public CommandResult run(RemoteCommand command) {
            Duration timeout = settings.commandTimeout();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            try (ChannelExec channel = session.createExecChannel(command.render())) {
                channel.setOut(out);
                channel.setErr(err);
                channel.open().verify(timeout);
                // Always close standard input: it sends EOF, so commands that read it never wait forever.
                try (OutputStream in = channel.getInvertedIn()) {
                    if (command.stdin() != null) {
                        in.write(command.stdin());
                    }
                } catch (IOException exitedBeforeReadingInput) {
                    // A command may fail before it reads its input and close the channel; its exit
                    // status and stderr, not this write, are what to report.
                    LOG.trace("standard input not fully written on {}", target, exitedBeforeReadingInput);
                }
                Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout.toMillis());
                if (events.contains(ClientChannelEvent.TIMEOUT)) {
                    throw new SshException(SshException.Kind.COMMAND_FAILED,
                            "command did not finish within " + timeout + " on " + target, null);
                }
                Integer status = channel.getExitStatus();
                return new CommandResult(status == null ? -1 : status, out.toString(StandardCharsets.UTF_8),
                        err.toString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new SshException(SshException.Kind.COMMAND_FAILED, "session to " + target + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            session.close(false);
            closeQuietly(tunnel);
            if (bastion != null) {
                bastion.close(false);
            }
        }
    }
}
