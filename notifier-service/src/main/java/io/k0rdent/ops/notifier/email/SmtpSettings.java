package io.k0rdent.ops.notifier.email;

import io.k0rdent.ops.support.Secret;
import java.time.Duration;
import java.util.Properties;

/**
 * How to reach the SMTP server.
 *
 * @param host             server host
 * @param port             server port
 * @param startTls         use STARTTLS (and require it)
 * @param auth             authenticate with {@code username}/{@code password}
 * @param username         for auth, or {@code null}
 * @param password         for auth, or {@code null}
 * @param from             the sender address
 * @param timeout          connect, read and write timeout
 * @param messageIdDomain  right-hand side of generated {@code Message-ID}s
 */
public record SmtpSettings(String host, int port, boolean startTls, boolean auth, String username, Secret password,
                           String from, Duration timeout, String messageIdDomain) {

    /** Jakarta Mail session properties; the password is passed at send time, not here. */
    public Properties sessionProperties() {
        Properties props = new Properties();
        props.put("mail.transport.protocol", "smtp");
        props.put("mail.smtp.host", host);
        props.put("mail.smtp.port", Integer.toString(port));
        props.put("mail.smtp.auth", Boolean.toString(auth));
        props.put("mail.smtp.starttls.enable", Boolean.toString(startTls));
        props.put("mail.smtp.starttls.required", Boolean.toString(startTls));
        String millis = Long.toString(timeout.toMillis());
        props.put("mail.smtp.connectiontimeout", millis);
        props.put("mail.smtp.timeout", millis);
        props.put("mail.smtp.writetimeout", millis);
        return props;
    }
}
