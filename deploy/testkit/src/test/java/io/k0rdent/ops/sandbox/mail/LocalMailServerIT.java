package io.k0rdent.ops.sandbox.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stand-in SMTP server keeps each message once, as a numbered {@code .eml} file. */
class LocalMailServerIT {

    @TempDir
    Path dir;

    @Test
    void mailToSeveralRecipientsIsKeptOnceEachWhateverOrderItIsListedIn() throws Exception {
        Path mailDir = dir.resolve("mail");
        try (LocalMailServer server = LocalMailServer.start(0, mailDir)) {
            // GreenMail lists mail mailbox by mailbox, so the second message to ada is listed before bob's.
            for (String to : List.of("ada@example.com", "bob@example.com", "ada@example.com")) {
                sendPlain(server.smtpPort(), to, "dev-01 for " + to);
                server.keepNewMail();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(mailDir.resolve("0003.eml")));
        }

        List<String> recipients = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            try (InputStream in = Files.newInputStream(mailDir.resolve(String.format("%04d.eml", n)))) {
                MimeMessage kept = new MimeMessage(Session.getInstance(new Properties()), in);
                recipients.add(((InternetAddress) kept.getAllRecipients()[0]).getAddress());
            }
        }
        assertThat(recipients).containsExactlyInAnyOrder("ada@example.com", "ada@example.com", "bob@example.com");
        assertThat(mailDir.resolve("0004.eml")).doesNotExist();
    }

    private static void sendPlain(int port, String to, String subject) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(port));
        MimeMessage message = new MimeMessage(Session.getInstance(props));
        message.setFrom(new InternetAddress("k0rdent@sandbox.local"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject);
        message.setText(subject);
        Transport.send(message);
    }
}
