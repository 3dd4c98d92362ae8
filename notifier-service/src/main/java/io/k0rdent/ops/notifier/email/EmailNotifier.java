package io.k0rdent.ops.notifier.email;

import io.k0rdent.ops.contracts.event.Channel;
import io.k0rdent.ops.notifier.delivery.Notifier;
import io.k0rdent.ops.notifier.delivery.SendOutcome;
import io.k0rdent.ops.notifier.message.OutgoingMessage;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Sends notification e-mails over SMTP with Jakarta Mail (Angus Mail): a {@code multipart/alternative}
 * with a plain-text and an HTML part, and a {@code Message-ID} derived from the message id and destination.
 */
public final class EmailNotifier implements Notifier {

    private final Session session;
    private final SmtpSettings smtp;
    private final String destination;
    private final List<String> recipients;

    /**
     * @param recipients the destination's own recipients; ignored for messages that carry their own (the author)
     */
    public EmailNotifier(SmtpSettings smtp, String destination, List<String> recipients) {
        this.smtp = smtp;
        this.destination = destination;
        this.recipients = List.copyOf(recipients);
        this.session = Session.getInstance(smtp.sessionProperties());
    }

    @Override
    public Channel channel() {
        return Channel.EMAIL;
    }

    /** {@code <id.destination@domain>}: the same message to the same destination always has the same id. */
    public static String messageId(OutgoingMessage message, String domain) {
        String dest = message.destination().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
        return "<" + message.id() + "." + dest + "@" + domain + ">";
    }

    @Override
    public SendOutcome send(OutgoingMessage message) {
        MimeMessage mime;
        try {
            mime = compose(message);
        } catch (AddressException e) {
            return new SendOutcome.PermanentFailure("invalid address: " + e.getRef());
        } catch (MessagingException e) {
            return new SendOutcome.PermanentFailure("cannot compose: " + e.getMessage());
        }
        try {
            if (smtp.auth()) {
                Transport.send(mime, smtp.username(), smtp.password() == null ? null : smtp.password().reveal());
            } else {
                Transport.send(mime);
            }
            return new SendOutcome.Delivered();
        } catch (MessagingException e) {
            return classify(e);
        }
    }

    private MimeMessage compose(OutgoingMessage message) throws MessagingException {
        String messageId = messageId(message, smtp.messageIdDomain());
        MimeMessage mime = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                // Jakarta Mail would generate a random id on save; ours is stable so a resend is the same message.
                setHeader("Message-ID", messageId);
            }
        };
        mime.setFrom(new InternetAddress(smtp.from(), true));
        List<String> to = message.recipient() != null ? List.of(message.recipient()) : recipients;
        List<Address> addresses = new ArrayList<>();
        for (String address : to) {
            addresses.add(new InternetAddress(address, true));
        }
        mime.setRecipients(MimeMessage.RecipientType.TO, addresses.toArray(Address[]::new));
        mime.setSubject("[k0rdent] " + message.content().title(), StandardCharsets.UTF_8.name());
        mime.setHeader("X-K0rdent-Destination", destination);

        MimeBodyPart text = new MimeBodyPart();
        text.setText(message.content().plainText(), StandardCharsets.UTF_8.name(), "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(EmailBodies.html(message.content()), StandardCharsets.UTF_8.name(), "html");
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text); // least preferred first, as RFC 2046 asks
        alternative.addBodyPart(html);
        mime.setContent(alternative);
        mime.saveChanges();
        return mime;
    }

    /** SMTP 5xx and rejected addresses are permanent; 4xx and connection trouble are retried. */
    static SendOutcome classify(MessagingException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : nextOf(t)) {
            if (t instanceof SMTPAddressFailedException failed) {
                return byCode(failed.getReturnCode(), "address rejected: " + failed.getAddress());
            }
            if (t instanceof SMTPSendFailedException failed) {
                return byCode(failed.getReturnCode(), "send failed: " + oneLine(failed.getMessage()));
            }
        }
        if (e instanceof AuthenticationFailedException) {
            return new SendOutcome.PermanentFailure("SMTP authentication failed");
        }
        if (e instanceof SendFailedException failed && failed.getInvalidAddresses() != null
                && failed.getInvalidAddresses().length > 0) {
            return new SendOutcome.PermanentFailure("invalid addresses: " + failed.getInvalidAddresses().length);
        }
        return new SendOutcome.RetryLater(null, "SMTP: " + e.getClass().getSimpleName() + " " + oneLine(e.getMessage()));
    }

    private static Throwable nextOf(Throwable t) {
        if (t instanceof MessagingException me && me.getNextException() != null) {
            return me.getNextException();
        }
        return t.getCause();
    }

    private static SendOutcome byCode(int code, String reason) {
        String text = "SMTP " + code + " " + reason;
        return code >= 500 ? new SendOutcome.PermanentFailure(text) : new SendOutcome.RetryLater(null, text);
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ");
    }
}
