package io.k0rdent.ops.bootstrap.phase;

import io.k0rdent.ops.bootstrap.k0s.CommandResult;
import io.k0rdent.ops.bootstrap.k0s.K0sInstaller;
import io.k0rdent.ops.bootstrap.k0s.RemoteCommand;
import io.k0rdent.ops.bootstrap.k0s.SafeValues;
import io.k0rdent.ops.bootstrap.ssh.RemoteShell;
import io.k0rdent.ops.bootstrap.ssh.ShellConnector;
import io.k0rdent.ops.bootstrap.ssh.SshException;
import io.k0rdent.ops.bootstrap.ssh.SshTarget;
import io.k0rdent.ops.contracts.event.BootstrapPhase;
import io.k0rdent.ops.contracts.event.ProvisionedNode;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node-work executor every phase group shares: SSH sessions, commands that fail their phase, and per-node work
 * in parallel. Turns SSH problems into {@link PhaseFailure}s naming the phase and the host.
 */
final class NodeCommands implements AutoCloseable {

    /** Under the bootstrapper's name, as before the phases had classes of their own, so log filters keep working. */
    private static final Logger LOG = LoggerFactory.getLogger(ClusterBootstrapper.class);

    private final ShellConnector connector;
    private final K0sInstaller installer;
    /** Runs per-node work of all clusters; its size bounds the SSH commands in flight. */
    private final ExecutorService nodeWork;

    NodeCommands(ShellConnector connector, K0sInstaller installer, int nodeParallelism) {
        this.connector = connector;
        this.installer = installer;
        AtomicInteger threads = new AtomicInteger();
        this.nodeWork = Executors.newFixedThreadPool(Math.max(1, nodeParallelism), r -> {
            Thread t = new Thread(r, "bootstrap-node-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void close() {
        nodeWork.shutdownNow();
    }

    /**
     * Runs {@code action} for every node in parallel (bounded by the shared pool) and waits for all of
     * them, so no task still uses a session when the phase ends. Reports the failure of the first node
     * in {@code nodes}' order.
     */
    void forEachNode(BootstrapPhase phase, List<ProvisionedNode> nodes, Consumer<ProvisionedNode> action) {
        if (nodes.size() <= 1) {
            nodes.forEach(action);
            return;
        }
        List<Future<?>> tasks = nodes.stream().<Future<?>>map(n -> nodeWork.submit(() -> action.accept(n))).toList();
        RuntimeException first = null;
        for (Future<?> task : tasks) {
            try {
                task.get();
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                tasks.forEach(t -> t.cancel(true));
                throw new PhaseFailure(phase, null, null, null, "interrupted", true);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    RemoteShell connect(BootstrapPhase phase, ProvisionedNode node) {
        return connect(phase, node, null);
    }

    /** A shell on the node, offering only the key of {@code keyName} (every key held when {@code null}). */
    RemoteShell connect(BootstrapPhase phase, ProvisionedNode node, String keyName) {
        SshTarget target = new SshTarget(node.ssh().host(), node.ssh().port(), node.ssh().user(),
                node.ssh().hostKeyFingerprint(), keyName);
        try {
            return connector.connect(target);
        } catch (SshException e) {
            throw new PhaseFailure(phase, node.ssh().host(), null, null, e.getMessage(), e.kind().retryable());
        }
    }

    String hostnameOf(BootstrapPhase phase, RemoteShell shell, ProvisionedNode node) {
        CommandResult r = mustRun(phase, shell, node, installer.hostname(), List.of(), true);
        String hostname = r.stdout().strip();
        try {
            return SafeValues.hostname(hostname);
        } catch (IllegalArgumentException e) {
            throw new PhaseFailure(phase, node.ssh().host(), installer.hostname().toString(), null, e.getMessage(), false);
        }
    }

    /** Runs a command and fails the phase on a non-zero exit status. */
    static CommandResult mustRun(BootstrapPhase phase, RemoteShell shell, ProvisionedNode node, RemoteCommand command,
                                 List<String> secrets, boolean retryable) {
        CommandResult r = run(phase, shell, node, command);
        if (!r.ok()) {
            throw new PhaseFailure(phase, node.ssh().host(), command.toString(), Redactor.tail(r.stderr(), secrets),
                    "'" + command + "' exited with status " + r.exitStatus(), retryable);
        }
        return r;
    }

    static CommandResult run(BootstrapPhase phase, RemoteShell shell, ProvisionedNode node, RemoteCommand command) {
        try {
            LOG.debug("{} {}: {}", phase, node.ssh().host(), command);
            return shell.run(command);
        } catch (SshException e) {
            throw new PhaseFailure(phase, node.ssh().host(), command.toString(), null, e.getMessage(), e.kind().retryable());
        }
    }
}
