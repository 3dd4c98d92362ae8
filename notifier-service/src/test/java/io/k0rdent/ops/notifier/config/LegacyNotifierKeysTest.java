package io.k0rdent.ops.notifier.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.k0rdent.ops.contracts.event.Channel;
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The keys of the last release ({@code notifier.*}) still bind for one release, each with a warning. */
class LegacyNotifierKeysTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(LegacyNotifierKeys.class);
    private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();

    @BeforeEach
    void listen() {
        warnings.start();
        logger.addAppender(warnings);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(warnings);
    }

    private static ApplicationContext run(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(settings);
        // Only the configuration is under test: nothing starts consuming or monitoring.
        all.put("k0rdent.notifier.runtime.enabled", false);
        all.put("micronaut.health.monitor.enabled", false);
        return ApplicationContext.run(all);
    }

    @Test
    void oldKeysBindUnderTheNewPrefixAndEachIsWarnedAboutByName() {
        try (ApplicationContext context = run(Map.of(
                "notifier.digest-window", "3s",
                // The packaged application.yml sets the new key; the operator's old key must still win over it.
                "notifier.kafka.group-id", "legacy-group",
                "notifier.smtp.password-file", "/run/secrets/smtp",
                "notifier.destinations.legacy-mail.type", "email",
                "notifier.destinations.legacy-mail.to", List.of("ops@example.com")))) {
            NotifierProperties properties = context.getBean(NotifierProperties.class);

            assertThat(properties.digestWindow()).isEqualTo(Duration.ofSeconds(3));
            assertThat(properties.kafka().groupId()).isEqualTo("legacy-group");
            assertThat(properties.smtp().passwordFile()).isEqualTo("/run/secrets/smtp");
            DestinationProperties mail = context.getBeansOfType(DestinationProperties.class).stream()
                    .filter(d -> d.name().equals("legacy-mail")).findFirst().orElseThrow();
            assertThat(mail.type()).isEqualTo(Channel.EMAIL);
            assertThat(mail.to()).containsExactly("ops@example.com");
        }
        List<String> messages = warnings.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(messages).anySatisfy(m -> assertThat(m)
                .contains("notifier.digest-window").contains("k0rdent.notifier.digest-window")
                .contains("removed in the next release"));
        assertThat(messages).anySatisfy(m -> assertThat(m)
                .contains("notifier.destinations.legacy-mail.type")
                .contains("k0rdent.notifier.destinations.legacy-mail.type"));
        assertThat(messages.stream().filter(m -> m.startsWith("Configuration key notifier.kafka.group-id "))).hasSize(1);
        // The key is named, its value is not: values may be secrets or where they are kept.
        assertThat(messages).noneMatch(m -> m.contains("/run/secrets/smtp"));
    }

    @Test
    void aNewKeyWinsOverTheOldOneInTheSameSource() {
        try (ApplicationContext context = run(Map.of(
                "notifier.cooldown", "1m",
                "k0rdent.notifier.cooldown", "2m"))) {
            assertThat(context.getBean(NotifierProperties.class).cooldown()).isEqualTo(Duration.ofMinutes(2));
        }
    }

    @Test
    void withoutOldKeysNothingIsWarned() {
        try (ApplicationContext context = run(Map.of("k0rdent.notifier.cooldown", "2m"))) {
            assertThat(context.getBean(NotifierProperties.class).cooldown()).isEqualTo(Duration.ofMinutes(2));
        }
        assertThat(warnings.list).isEmpty();
    }

    @Test
    void environmentVariablesAreRenamedInTheirOwnConvention() {
        assertThat(LegacyNotifierKeys.newName("NOTIFIER_SMTP_HOST", true)).contains("K0RDENT_NOTIFIER_SMTP_HOST");
        assertThat(LegacyNotifierKeys.newName("NOTIFIERS_ELSEWHERE", true)).isEmpty();
        assertThat(LegacyNotifierKeys.newName("notifier.smtp.host", false)).contains("k0rdent.notifier.smtp.host");
        assertThat(LegacyNotifierKeys.newName("k0rdent.notifier.smtp.host", false)).isEmpty();
    }
}
