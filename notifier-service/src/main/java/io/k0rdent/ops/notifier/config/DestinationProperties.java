package io.k0rdent.ops.notifier.config;

import io.k0rdent.ops.contracts.event.Channel;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.List;

/**
 * {@code k0rdent.notifier.destinations.<name>.*}: one named place messages go. URLs, signing keys and tokens are
 * secrets and are given only as an environment variable name ({@code url-env}) or a file path ({@code url-file});
 * {@link Destinations} reads them into {@code Secret}s.
 *
 * @param type              {@code slack}, {@code email}, {@code webhook} or {@code commit_status}
 * @param to                e-mail recipients of an {@code email} destination
 * @param minInterval       least time between two messages; default 1 s for Slack and commit statuses (their
 *                          limits), none otherwise
 * @param forge             of a {@code commit_status} destination: {@code github}, {@code gitlab} or {@code gitea}
 * @param apiUrl            the forge's API root (GitHub Enterprise: {@code https://HOST/api/v3}; GitLab:
 *                          {@code https://HOST/api/v4}; Gitea: {@code https://HOST/api/v1}); default derived from the
 *                          repository's host
 * @param tokenEnv          the forge token's environment variable (a secret: never in events or logs)
 * @param tokenFile         the forge token's file
 * @param repository        the repository every status of this destination goes to (a mirror, or when the clone URL
 *                          is not the forge's); default: the one the cluster's definition events name, else
 *                          {@code k0rdent.notifier.repository}
 * @param contextPrefix     prefix of the per-cluster status context
 * @param targetUrlTemplate the status's link, with {@code {cluster}}, {@code {commit}} and {@code {generation}};
 *                          none by default
 */
@EachProperty(NotifierProperties.PREFIX + ".destinations")
public record DestinationProperties(
        @Parameter String name,
        @Nullable Channel type,
        @Nullable String urlEnv,
        @Nullable String urlFile,
        @Nullable String signingKeyEnv,
        @Nullable String signingKeyFile,
        @Nullable List<String> to,
        @Nullable Duration minInterval,
        @Nullable String forge,
        @Nullable String apiUrl,
        @Nullable String tokenEnv,
        @Nullable String tokenFile,
        @Nullable String repository,
        @Bindable(defaultValue = "k0rdent/") String contextPrefix,
        @Nullable String targetUrlTemplate) {

    public DestinationProperties {
        to = to == null ? List.of() : List.copyOf(to);
    }
}
