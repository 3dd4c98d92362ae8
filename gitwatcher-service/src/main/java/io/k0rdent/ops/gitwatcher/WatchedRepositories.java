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
                .sorted(Comparator.comparingInt(RepositoryProperties::index))
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
        if (p.url() == null || p.url().isBlank()) {
            throw new ConfigurationException(p + ": url is required");
        }
        if (p.branch() == null || p.branch().isBlank()) {
            throw new ConfigurationException(p + ": branch is required");
        }
        if (p.pollInterval() == null || p.pollInterval().isNegative() || p.pollInterval().isZero()) {
            throw new ConfigurationException(p + ": poll-interval must be positive");
        }
        WatchKey key = new WatchKey(RepositoryUrls.withoutCredentials(p.url()), p.branch());
        Secret password = secret(p, "password", null, p.passwordEnv(), p.passwordFile(), env);
        WatchedRepository.GitCredentials credentials =
                p.username() == null && password == null && p.sshKeyFile() == null
                        && p.knownHostsFile() == null ? null
                        : new WatchedRepository.GitCredentials(p.username(), password, p.sshKeyFile(),
                        p.knownHostsFile());
        Secret webhookSecret = secret(p, "webhook-secret", p.webhookSecret(), p.webhookSecretEnv(),
                p.webhookSecretFile(), env);
        return new WatchedRepository(key, p.url(), new PathGlobs(p.paths()), p.pollInterval(),
                Math.max(0, Math.min(0.9, p.pollJitter())), credentials, webhookSecret,
                WatchedRepository.matchKeysOf(p.url(), p.webhookNames()));
    }

    private static Secret secret(RepositoryProperties p, String what, Secret inline, String envName, String file,
                                 Map<String, String> env) {
        if (inline != null) {
            return inline;
        }
        try {
            return new SecretSource(env::get).resolve(p + ": " + what, envName, file).orElse(null);
        } catch (IllegalStateException | UncheckedIOException e) {
            // The message names the variable or file, never the value.
            throw new ConfigurationException(e.getMessage());
        }
    }
}
