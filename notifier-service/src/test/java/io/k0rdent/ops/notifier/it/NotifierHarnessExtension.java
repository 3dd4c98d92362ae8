package io.k0rdent.ops.notifier.it;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.k0rdent.ops.sandbox.kafka.junit.KafkaBrokerExtension;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The set-up every notifier IT shares: per test, a {@link NotifierHarness} on fresh topics of the shared broker and,
 * unless the IT has no use for e-mail, a GreenMail SMTP server (started before the harness, whose service sends to
 * it, and stopped after). Test methods receive the harness as a parameter. Register it in a {@code static} field of a
 * {@code @KafkaIntegrationTest} class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final NotifierHarnessExtension NOTIFIER = NotifierHarnessExtension.withMail();
 *
 * @Test
 * void tells(NotifierHarness harness) { ... NOTIFIER.mail().getReceivedMessages() ... }
 * }</pre>
 */
final class NotifierHarnessExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        AfterAllCallback, ParameterResolver {

    /** What the service is told when an IT runs no SMTP server: nothing listens there, no mail is expected. */
    private static final int NO_SMTP_PORT = 1;

    private final GreenMailExtension mail;
    private NotifierHarness harness;

    private NotifierHarnessExtension(GreenMailExtension mail) {
        this.mail = mail;
    }

    /** With a GreenMail SMTP server on a free loopback port, accepting any login. */
    static NotifierHarnessExtension withMail() {
        return new NotifierHarnessExtension(new GreenMailExtension(smtp()));
    }

    /** With a GreenMail SMTP server configured by {@code configuration} (e.g. a user the service must log in as). */
    static NotifierHarnessExtension withMail(GreenMailConfiguration configuration) {
        return new NotifierHarnessExtension(new GreenMailExtension(smtp()).withConfiguration(configuration));
    }

    /** Without an SMTP server, for ITs whose routes send no e-mail. */
    static NotifierHarnessExtension withoutMail() {
        return new NotifierHarnessExtension(null);
    }

    private static ServerSetup smtp() {
        return new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort();
    }

    /** The SMTP server of the current test. */
    GreenMailExtension mail() {
        if (mail == null) {
            throw new IllegalStateException("this IT registered NotifierHarnessExtension.withoutMail()");
        }
        return mail;
    }

    /** The harness of the current test (also given to test methods as a parameter). */
    NotifierHarness harness() {
        return harness;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (mail != null) {
            mail.beforeAll(context);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (mail != null) {
            mail.beforeEach(context);
        }
        harness = new NotifierHarness(KafkaBrokerExtension.testContext(context),
                mail == null ? NO_SMTP_PORT : mail.getSmtp().getPort());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            harness.close();
        } finally {
            harness = null;
            if (mail != null) {
                mail.afterEach(context);
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (mail != null) {
            mail.afterAll(context);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == NotifierHarness.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return harness;
    }
}
