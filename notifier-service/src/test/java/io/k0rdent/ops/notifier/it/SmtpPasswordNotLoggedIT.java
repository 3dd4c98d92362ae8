package io.k0rdent.ops.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import io.k0rdent.ops.notifier.TestEvents;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaIntegrationTest;
import jakarta.mail.Message;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP password never reaches a log: the notifier authenticates to GreenMail with it and sends one e-mail while
 * everything is captured at the most verbose level: logback (our code, Jakarta Mail, Angus Mail) through a
 * {@link ListAppender} on the root logger, Angus Mail's own java.util.logging output (where its protocol trace goes
 * when {@code mail.debug} is off, which is how the notifier runs it) down to FINEST, and System.out/err (where
 * {@code mail.debug} would print). Next to {@link NotifierKafkaIT#webhookUrlsNeverReachLogsEventsOrDeadLetters()}.
 */
@KafkaIntegrationTest
class SmtpPasswordNotLoggedIT {

    private static final String USER = "k0rdent-notifier";
    private static final String PASSWORD = "Smtp-Pa55word-that-must-not-leak";

    @RegisterExtension
    static final NotifierHarnessExtension NOTIFIER = NotifierHarnessExtension.withMail(
            GreenMailConfiguration.aConfig().withUser("k0rdent-ops@example.com", USER, PASSWORD));

    @Test
    void theSmtpPasswordIsUsedButNeverLogged(NotifierHarness harness, @TempDir Path dir) throws Exception {
        // Secrets reach the service only through files, as in production.
        Path passwordFile = dir.resolve("smtp-password");
        Files.writeString(passwordFile, PASSWORD + "\n");

        LoggerContext logs = (LoggerContext) LoggerFactory.getILoggerFactory();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logs.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(captured);
        List<String> verbose = List.of("io.k0rdent", "jakarta.mail", "org.eclipse.angus.mail", "com.sun.mail");
        verbose.forEach(name -> logs.getLogger(name).setLevel(Level.DEBUG));
        JulCapture jul = new JulCapture("jakarta.mail", "org.eclipse.angus.mail", "com.sun.mail");
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new Tee(out, console), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(err, console), true, StandardCharsets.UTF_8));
        try {
            harness.start(Map.of(
                    "k0rdent.notifier.smtp.auth", true,
                    "k0rdent.notifier.smtp.username", USER,
                    "k0rdent.notifier.smtp.password-file", passwordFile.toString(),
                    "k0rdent.notifier.destinations.team-mail.type", "email",
                    "k0rdent.notifier.destinations.team-mail.to", List.of("platform@example.com"),
                    "k0rdent.notifier.default-destinations", List.of("team-mail"),
                    "k0rdent.notifier.author.enabled", false));
            // No route matches this team, so the default destination, the mail one, is told.
            harness.publish(TestEvents.ready(TestEvents.header("mail-01", Map.of("team", "mailers"), TestEvents.ADA,
                    TestEvents.T0)));

            await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    assertThat(NOTIFIER.mail().getReceivedMessages()).hasSize(1));
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    assertThat(harness.committedTotal()).isEqualTo(1));
        } finally {
            System.setOut(out);
            System.setErr(err);
            jul.close();
            logs.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(captured);
            verbose.forEach(name -> logs.getLogger(name).setLevel(null));
        }

        assertThat(NOTIFIER.mail().getReceivedMessages()[0].getRecipients(Message.RecipientType.TO)[0].toString())
                .isEqualTo("platform@example.com");
        // The capture really saw the mail client at work, including its authentication, so a leak would show.
        assertThat(jul.lines).as("Angus Mail's log")
                .anyMatch(line -> line.contains("AUTH") && line.contains("succeeded"));
        assertThat(captured.list).as("logback").isNotEmpty();

        List<String> forms = List.of(PASSWORD,
                // AUTH LOGIN sends the password alone in base64, AUTH PLAIN "\0user\0password".
                base64(PASSWORD), base64("\0" + USER + "\0" + PASSWORD));
        List<String> everything = new ArrayList<>();
        captured.list.forEach(event -> {
            everything.add(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                everything.add(event.getThrowableProxy().getMessage());
            }
            everything.add(String.valueOf(event.getMDCPropertyMap()));
        });
        everything.addAll(jul.lines);
        everything.add(console.toString(StandardCharsets.UTF_8));
        assertThat(everything).allSatisfy(line -> assertThat(String.valueOf(line)).doesNotContain(forms));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Everything java.util.logging loggers under the given names publish, at every level. */
    private static final class JulCapture extends Handler {

        final List<String> lines = new CopyOnWriteArrayList<>();
        private final List<java.util.logging.Logger> loggers = new ArrayList<>();
        private final List<java.util.logging.Level> previous = new ArrayList<>();
        private final SimpleFormatter formatter = new SimpleFormatter();

        JulCapture(String... names) {
            setLevel(java.util.logging.Level.ALL);
            for (String name : names) {
                java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
                loggers.add(logger);
                previous.add(logger.getLevel());
                logger.setLevel(java.util.logging.Level.ALL);
                logger.addHandler(this);
            }
        }

        @Override
        public void publish(LogRecord record) {
            lines.add(formatter.format(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            for (int i = 0; i < loggers.size(); i++) {
                loggers.get(i).removeHandler(this);
                loggers.get(i).setLevel(previous.get(i));
            }
        }
    }

    /** Writes to the console as before and keeps a copy. */
    private static final class Tee extends OutputStream {

        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            first.flush();
            second.flush();
        }
    }
}
