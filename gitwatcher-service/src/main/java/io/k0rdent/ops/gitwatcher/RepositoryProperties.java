package io.k0rdent.ops.gitwatcher;

import io.k0rdent.ops.support.Secret;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.List;

/**
 * One watched repository and branch, bound from {@code k0rdent.gitwatcher.repositories[n]}; checked and turned
 * into a {@link WatchedRepository} (secrets read) by {@link WatchedRepositories}.
 *
 * <p>Secrets are never given inline in production: {@code password-env}/{@code password-file} and
 * {@code webhook-secret-env}/{@code webhook-secret-file} name where they come from. An inline
 * {@code webhook-secret} exists for tests and for {@code ${ENV}} placeholders; it binds to a {@link Secret}.
 *
 * @param index        position in the configured list, used in messages about a broken entry
 * @param url          remote URL: https, ssh or file. User info in it is stripped from everything that is shown
 * @param paths        Git-style globs of definition files ({@code **} spans directories, also none)
 * @param pollJitter   fraction of the poll interval added or removed at random, so many watchers do not poll in step
 * @param webhookNames further names webhook payloads may use for this repository (clone URLs, {@code owner/name}),
 *                     for when the configured URL is a mirror or an internal address
 */
@EachProperty(value = "k0rdent.gitwatcher.repositories", list = true)
public record RepositoryProperties(
        @Parameter Integer index,
        @Nullable String url,
        @Bindable(defaultValue = "main") String branch,
        @Bindable(defaultValue = "clusters/**/*.yaml,clusters/**/*.yml") List<String> paths,
        @Bindable(defaultValue = "60s") Duration pollInterval,
        @Bindable(defaultValue = "0.2") double pollJitter,
        @Nullable String username,
        @Nullable String passwordEnv,
        @Nullable String passwordFile,
        @Nullable String sshKeyFile,
        @Nullable String knownHostsFile,
        @Nullable Secret webhookSecret,
        @Nullable String webhookSecretEnv,
        @Nullable String webhookSecretFile,
        @Nullable List<String> webhookNames) {

    public RepositoryProperties {
        paths = paths == null ? List.of() : List.copyOf(paths);
        webhookNames = webhookNames == null ? List.of() : List.copyOf(webhookNames);
    }

    @Override
    public String toString() {
        // Not the generated one: the URL may carry user info (a password), and only the repository is shown.
        return "repositories[" + index + "] " + (url == null ? null : RepositoryUrls.withoutCredentials(url)) + " "
                + branch;
    }
}
