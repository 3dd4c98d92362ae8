package io.k0rdent.ops.gitwatcher;

import io.k0rdent.ops.support.Secret;
import io.k0rdent.ops.support.SecretSource;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every configured repository with its secrets read from the environment or secret files. Read once
 * at start-up: a missing secret file is a configuration error the operator should see immediately.
 */
@Singleton
public class WatchedRepositories {

    private final List<WatchedRepository> repositories;

    public WatchedRepositories(List<RepositoryProperties> properties) {
        this(properties, System.getenv());
    }

    WatchedRepositories(List<RepositoryProperties> properties, Map<String, String> env) {
        Set<WatchKey> seen = new HashSet<>();
        this.repositories = properties.stream()
                .sorted(Comparator.comparingInt(RepositoryProperties::getIndex))
                .map(p -> resolve(p, env))
                .peek(r -> {
                    if (!seen.add(r.key())) {
                        throw new ConfigurationException("repository " + r.key() + " is configured twice");
                    }
                })
                .toList();
    }

    public List<WatchedRepository> all() {
        return repositories;
    }

    public Optional<WatchedRepository> byKey(WatchKey key) {
        return repositories.stream().filter(r -> r.key().equals(key)).findFirst();
    }

    private static WatchedRepository resolve(RepositoryProperties p, Map<String, String> env) {
        if (p.getUrl() == null || p.getUrl().isBlank()) {
            throw new ConfigurationException(p + ": url is required");
        }
        if (p.getBranch() == null || p.getBranch().isBlank()) {
            throw new ConfigurationException(p + ": branch is required");
        }
        if (p.getPollInterval() == null || p.getPollInterval().isNegative() || p.getPollInterval().isZero()) {
            throw new ConfigurationException(p + ": poll-interval must be positive");
        }
        WatchKey key = new WatchKey(RepositoryUrls.withoutCredentials(p.getUrl()), p.getBranch());
        Secret password = secret(p, "password", null, p.getPasswordEnv(), p.getPasswordFile(), env);
        WatchedRepository.GitCredentials credentials =
                p.getUsername() == null && password == null && p.getSshKeyFile() == null
                        && p.getKnownHostsFile() == null ? null
                        : new WatchedRepository.GitCredentials(p.getUsername(), password, p.getSshKeyFile(),
                        p.getKnownHostsFile());
        Secret webhookSecret = secret(p, "webhook-secret", p.getWebhookSecret(), p.getWebhookSecretEnv(),
                p.getWebhookSecretFile(), env);
        return new WatchedRepository(key, p.getUrl(), new PathGlobs(p.getPaths()), p.getPollInterval(),
                Math.max(0, Math.min(0.9, p.getPollJitter())), credentials, webhookSecret,
                WatchedRepository.matchKeysOf(p.getUrl(), p.getWebhookNames()));
    }

    private static Secret secret(RepositoryProperties p, String what, String inline, String envName, String file,
                                 Map<String, String> env) {
        if (inline != null && !inline.isBlank()) {
            return Secret.of(inline);
        }
        try {
            return new SecretSource(env::get).resolve(p + ": " + what, envName, file).orElse(null);
        } catch (IllegalStateException | UncheckedIOException e) {
            // The message names the variable or file, never the value.
            throw new ConfigurationException(e.getMessage());
        }
    }
}
