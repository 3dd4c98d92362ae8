package io.k0rdent.ops.notifier.config;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextConfigurer;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.PropertySource.PropertyConvention;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the notifier's keys of the last release working for one more release: every {@code notifier.*} setting
 * (also {@code NOTIFIER_*} environment variables) is set again under {@code k0rdent.notifier.*}, with a warning
 * naming the old key and the new one. A new key set in the same or a more important source (environment over
 * files, system properties over both) wins over the old one; a new key only in the packaged
 * {@code application.yml} (the defaults) does not, or an old override would be silently ignored.
 *
 * <p>An {@link ApplicationContextConfigurer} (found through {@code META-INF/services}) because it is called
 * once every property source has been read and before any bean is bound, in every way a context is started
 * ({@code Application.main}, {@code ApplicationContext.run} in tests and launchers). Remove it in the next release.
 */
public final class LegacyNotifierKeys implements ApplicationContextConfigurer {

    static final String OLD_PREFIX = "notifier.";
    static final String NEW_PREFIX = NotifierProperties.PREFIX + ".";
    private static final String OLD_ENV_PREFIX = "NOTIFIER_";
    private static final String NEW_ENV_PREFIX = "K0RDENT_NOTIFIER_";
    private static final Logger LOG = LoggerFactory.getLogger(LegacyNotifierKeys.class);

    @Override
    public void configure(ApplicationContext context) {
        Environment environment = context.getEnvironment();
        List<PropertySource> sources = environment.getPropertySources().stream()
                .sorted(Comparator.comparingInt(PropertySource::getOrder)).toList();
        Map<String, Object> renamed = new LinkedHashMap<>();
        Map<String, Object> renamedVariables = new LinkedHashMap<>();
        for (PropertySource source : sources) {
            boolean variables = source.getConvention() == PropertyConvention.ENVIRONMENT_VARIABLE;
            for (String key : source) {
                Optional<String> newKey = newName(key, variables);
                if (newKey.isEmpty() || setAtOrAbove(sources, source.getOrder(), newKey.get())) {
                    continue;
                }
                (variables ? renamedVariables : renamed).put(newKey.get(), source.get(key));
                // The key only, never its value: it may be a secret's location or, worse, a secret.
                LOG.warn("Configuration key {} (from {}) is deprecated and will be removed in the next release; "
                        + "use {}", key, source.getName(), newKey.get());
            }
        }
        if (!renamed.isEmpty()) {
            environment.addPropertySource(PropertySource.of("renamed notifier.* keys", renamed));
        }
        if (!renamedVariables.isEmpty()) {
            environment.addPropertySource(PropertySource.of("renamed NOTIFIER_* variables", renamedVariables,
                    PropertyConvention.ENVIRONMENT_VARIABLE));
        }
    }

    /** The new name of an old key, or empty when the key is not an old one. */
    static Optional<String> newName(String key, boolean environmentVariable) {
        if (environmentVariable) {
            return key.startsWith(OLD_ENV_PREFIX)
                    ? Optional.of(NEW_ENV_PREFIX + key.substring(OLD_ENV_PREFIX.length())) : Optional.empty();
        }
        return key.startsWith(OLD_PREFIX)
                ? Optional.of(NEW_PREFIX + key.substring(OLD_PREFIX.length())) : Optional.empty();
    }

    private static boolean setAtOrAbove(List<PropertySource> sources, int order, String newKey) {
        String wanted = comparable(newKey);
        for (PropertySource source : sources) {
            if (source.getOrder() < order) {
                continue;
            }
            for (String key : source) {
                if (comparable(key).equals(wanted)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code k0rdent.notifier.kafka.group-id} and {@code K0RDENT_NOTIFIER_KAFKA_GROUP_ID} compare equal. */
    private static String comparable(String key) {
        return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
