package io.k0rdent.ops.notifier.email;

import io.k0rdent.ops.support.Secret;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.k0rdent.ops.notifier.TestEvents;
import io.k0rdent.ops.notifier.delivery.SendOutcome;
import io.k0rdent.ops.notifier.message.MessageRenderer;
import io.k0rdent.ops.notifier.message.Notice;
import io.k0rdent.ops.notifier.message.OutgoingMessage;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The e-mail adapter against GreenMail as the SMTP server. */
class EmailNotifierIT {

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());

    private EmailNotifier notifier(List<String> to) {
        SmtpSettings smtp = new SmtpSettings("127.0.0.1", GREEN_MAIL.getSmtp().getPort(), false, false, null, null,
                "k0rdent-ops@example.com", Duration.ofSeconds(5), "k0rdent-ops.example.com");
        return new EmailNotifier(smtp, "oncall", to);
    }

    @Test
    void sendsTextAndHtmlWithAStableMessageId() throws Exception {
        var event = TestEvents.bootstrapFailed(TestEvents.header("dev-01"));
        var content = new MessageRenderer(null, null).render(List.of(new Notice(event, null)));
        var message = new OutgoingMessage(event.header().eventId(), "oncall", null, content, List.of());

        assertThat(notifier(List.of("ops@example.com", "lead@example.com")).send(message))
                .isInstanceOf(SendOutcome.Delivered.class);

        MimeMessage[] received = GREEN_MAIL.getReceivedMessages();
        assertThat(received).hasSize(2); // one copy per recipient mailbox
        MimeMessage mail = received[0];
        assertThat(Arrays.stream(mail.getRecipients(Message.RecipientType.TO)).map(Object::toString))
                .containsExactlyInAnyOrder("ops@example.com", "lead@example.com");
        assertThat(mail.getSubject()).isEqualTo("[k0rdent] dev-01: bootstrap failed at JOIN_WORKERS");
        assertThat(mail.getMessageID()).isEqualTo("<" + event.header().eventId() + ".oncall@k0rdent-ops.example.com>");
        MimeMultipart parts = (MimeMultipart) mail.getContent();
        assertThat(parts.getContentType()).startsWith("multipart/alternative");
        BodyPart text = parts.getBodyPart(0);
        BodyPart html = parts.getBodyPart(1);
        assertThat(text.getContentType()).startsWith("text/plain");
        assertThat((String) text.getContent()).contains("Remediation: ", "did not join");
        assertThat(html.getContentType()).startsWith("text/html");
        assertThat((String) html.getContent()).contains("<h2>dev-01: bootstrap failed at JOIN_WORKERS</h2>");
    }

    @Test
    void authorMessagesGoToTheirOwnRecipient() throws Exception {
        var content = new MessageRenderer(null, null).render(List.of(new Notice(TestEvents.ready("dev-01"), null)));
        var message = new OutgoingMessage(UUID.randomUUID(), "commit-author", "ada@example.com", content, List.of());

        assertThat(notifier(List.of()).send(message)).isInstanceOf(SendOutcome.Delivered.class);

        assertThat(GREEN_MAIL.getReceivedMessages()).singleElement().satisfies(m ->
                assertThat(m.getRecipients(Message.RecipientType.TO)[0].toString()).isEqualTo("ada@example.com"));
    }

    @Test
    void anInvalidAddressIsAPermanentFailure() {
        var content = new MessageRenderer(null, null).render(List.of(new Notice(TestEvents.ready("dev-01"), null)));
        var message = new OutgoingMessage(UUID.randomUUID(), "commit-author", "ada@@example", content, List.of());

        assertThat(notifier(List.of()).send(message)).isInstanceOf(SendOutcome.PermanentFailure.class);
        assertThat(GREEN_MAIL.getReceivedMessages()).isEmpty();
    }

    @Test
    void authenticatesWithTheConfiguredPassword() {
        GREEN_MAIL.setUser("notifier@example.com", "notifier", "right");
        var content = new MessageRenderer(null, null).render(List.of(new Notice(TestEvents.ready("dev-01"), null)));
        var message = new OutgoingMessage(UUID.randomUUID(), "oncall", null, content, List.of());

        assertThat(authenticating("right").send(message)).isInstanceOf(SendOutcome.Delivered.class);
        assertThat(authenticating("wrong").send(message)).isInstanceOf(SendOutcome.PermanentFailure.class);
        assertThat(GREEN_MAIL.getReceivedMessages()).hasSize(1);
    }

    private EmailNotifier authenticating(String password) {
        SmtpSettings smtp = new SmtpSettings("127.0.0.1", GREEN_MAIL.getSmtp().getPort(), false, true, "notifier",
                Secret.of(password), "k0rdent-ops@example.com", Duration.ofSeconds(5),
                "k0rdent-ops.example.com");
        return new EmailNotifier(smtp, "oncall", List.of("ops@example.com"));
    }

    @Test
    void anUnreachableServerIsRetried() {
        SmtpSettings nowhere = new SmtpSettings("127.0.0.1", 1, false, false, null, null, "k0rdent-ops@example.com",
                Duration.ofSeconds(2), "k0rdent-ops.example.com");
        var content = new MessageRenderer(null, null).render(List.of(new Notice(TestEvents.ready("dev-01"), null)));
        var message = new OutgoingMessage(UUID.randomUUID(), "oncall", null, content, List.of());

        assertThat(new EmailNotifier(nowhere, "oncall", List.of("ops@example.com")).send(message))
                .isInstanceOf(SendOutcome.RetryLater.class);
    }
}
