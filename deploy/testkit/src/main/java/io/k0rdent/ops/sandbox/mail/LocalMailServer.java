package io.k0rdent.ops.sandbox.mail;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The sandbox's SMTP server (GreenMail, on 127.0.0.1): a real mail server that accepts every
 * recipient and keeps each message as an {@code .eml} file, so {@code k0ops mail} can show them from
 * another process.
 */
public final class LocalMailServer implements AutoCloseable {

    private GreenMail greenMail;
    private final int port;
    private final Path mailDir;
    private final ScheduledExecutorService keeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "mail-keeper");
        thread.setDaemon(true);
        return thread;
    });
    /** Messages kept in {@code mailDir}, including those of earlier runs. */
    private int kept;
    /**
     * Messages of this run already written, by identity. Not a count: GreenMail lists received mail
     * mailbox by mailbox, so a new message can appear before ones that were listed earlier.
     */
    private final Set<MimeMessage> written = Collections.newSetFromMap(new IdentityHashMap<>());

    private LocalMailServer(GreenMail greenMail, Path mailDir) {
        this.greenMail = greenMail;
        this.port = greenMail.getSmtp().getPort();
        this.mailDir = mailDir;
    }

    /** Starts SMTP on 127.0.0.1:{@code port} and keeps received mail under {@code mailDir}. */
    public static LocalMailServer start(int port, Path mailDir) throws IOException {
        Files.createDirectories(mailDir);
        GreenMail greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        LocalMailServer server = new LocalMailServer(greenMail, mailDir);
        try (var existing = Files.list(mailDir)) {
            server.kept = (int) existing.filter(p -> p.toString().endsWith(".eml")).count();
        }
        // GreenMail has no delivery callback; a short poll is plenty for a sandbox mailbox.
        server.keeper.scheduleWithFixedDelay(server::keepNewMail, 200, 200, TimeUnit.MILLISECONDS);
        return server;
    }

    public int smtpPort() {
        return port;
    }

    /** Takes the SMTP server down (connections are refused) after keeping what it received; for fault tests. */
    public synchronized void stopSmtp() {
        keepNewMail();
        greenMail.stop();
        greenMail = null;
    }

    /** Brings the SMTP server back on the same port after {@link #stopSmtp()}. */
    public synchronized void startSmtp() {
        if (greenMail == null) {
            GreenMail next = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            next.start();
            greenMail = next;
        }
    }

    public Path mailDir() {
        return mailDir;
    }

    /** Writes messages that arrived since the last call to {@code NNNN.eml} files; numbering survives restarts. */
    synchronized void keepNewMail() {
        if (greenMail == null) {
            return; // stopped by a fault test; what it had was kept when it stopped
        }
        for (MimeMessage message : greenMail.getReceivedMessages()) {
            if (written.contains(message)) {
                continue;
            }
            Path file = mailDir.resolve(String.format("%04d.eml", kept + 1));
            try (OutputStream out = Files.newOutputStream(file)) {
                message.writeTo(out);
                kept++;
                written.add(message);
            } catch (IOException | MessagingException e) {
                // Try this message again on the next round rather than lose it.
                return;
            }
        }
    }

    @Override
    public void close() {
        keeper.shutdownNow();
        keepNewMail();
        synchronized (this) {
            if (greenMail != null) {
                greenMail.stop();
            }
        }
    }
}
