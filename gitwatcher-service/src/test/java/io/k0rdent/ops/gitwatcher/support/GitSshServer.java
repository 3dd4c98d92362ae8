package io.k0rdent.ops.gitwatcher.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.UploadPack;

/**
 * A Git host over SSH, as far as fetching goes: Apache MINA SSHD on 127.0.0.1 that accepts one public key
 * only, and runs JGit's {@link UploadPack} for {@code git-upload-pack '<path>'} on one bare repository.
 * Pushes go to that repository directly (file transport), as a user's push to the host would land there.
 */
public final class GitSshServer implements AutoCloseable {

    private final SshServer server;
    private final ExecutorService commands;
    private final AtomicInteger uploads = new AtomicInteger();

    private GitSshServer(SshServer server, ExecutorService commands) {
        this.server = server;
        this.commands = commands;
    }

    /**
     * @param hostKey    the server's host key
     * @param clientKey  the only public key allowed to log in
     * @param repository the one bare repository served; a request for any other path is refused, as a host
     *                   refuses an unknown repository
     */
    public static GitSshServer start(KeyPair hostKey, PublicKey clientKey, Path repository) {
        SshServer server = SshServer.setUpDefaultServer();
        ExecutorService commands = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "git-ssh-command");
            t.setDaemon(true);
            return t;
        });
        GitSshServer git = new GitSshServer(server, commands);
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        // Public key only: a client that fell back to a password or no key at all must fail, not get in.
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(clientKey, key));
        server.setCommandFactory((channel, command) -> git.new UploadPackCommand(command, repository));
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return git;
    }

    public int port() {
        return server.getPort();
    }

    /** An {@code ssh://} URL of the served repository, as the gitwatcher is configured with it. */
    public String url(Path repository) {
        // Not Path.toUri(): it ends a directory with '/', which would then be part of the requested path.
        return "ssh://git@127.0.0.1:" + port() + repository.toAbsolutePath();
    }

    /** How many upload-pack runs (fetches that got past authentication) the server served. */
    public int uploads() {
        return uploads.get();
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

    /** {@code git-upload-pack '<path>'}: JGit's server side of a fetch, on the channel's streams. */
    private final class UploadPackCommand implements Command {

        private final String command;
        private final Path repository;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        UploadPackCommand(String command, Path repository) {
            this.command = command;
            this.repository = repository;
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
        public void setExitCallback(ExitCallback exit) {
            this.exit = exit;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            // The channel's streams block; run the protocol off the SSH server's I/O threads.
            commands.execute(this::run);
        }

        private void run() {
            if (!command.equals("git-upload-pack '" + repository.toAbsolutePath() + "'")) {
                fail("unknown command or repository: " + command);
                return;
            }
            try (Repository repo = new FileRepositoryBuilder().setGitDir(repository.toFile()).setMustExist(true).build()) {
                uploads.incrementAndGet();
                new UploadPack(repo).upload(in, out, err);
                out.flush();
                exit.onExit(0);
            } catch (IOException | RuntimeException e) {
                fail(e.toString());
            }
        }

        private void fail(String message) {
            try {
                err.write((message + "\n").getBytes(StandardCharsets.UTF_8));
                err.flush();
            } catch (IOException ignored) {
                // The client is gone; the exit status below is all that is left to report.
            }
            exit.onExit(1, message);
        }

        @Override
        public void destroy(ChannelSession channel) {
            // upload() returns when the client closes the channel's input; nothing else holds resources.
        }
    }
}
