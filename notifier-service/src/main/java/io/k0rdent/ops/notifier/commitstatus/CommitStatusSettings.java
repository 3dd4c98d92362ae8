package io.k0rdent.ops.notifier.commitstatus;

import java.util.Objects;

/**
 * One commit-status destination's settings (the token is passed separately, as a secret).
 *
 * @param forge             which API to speak
 * @param apiUrl            the API root ({@code https://api.github.com}, {@code https://gitlab.example.com/api/v4},
 *                          {@code https://gitea.example.com/api/v1}), or {@code null} to derive it from the
 *                          repository's host
 * @param repository        the repository every status of this destination goes to, whatever the events name (a
 *                          mirror, or a clone URL that is not the forge's, such as the sandbox's {@code file://}),
 *                          or {@code null} to use the repository the cluster's definition events name
 * @param defaultRepository the repository when neither the destination nor the cluster's events name one
 *                          (infrastructure and bootstrap events carry only the commit), or {@code null}
 * @param contextPrefix     prefix of the per-cluster context, e.g. {@code k0rdent/}
 * @param targetUrlTemplate a link with {@code {cluster}}, {@code {commit}}, {@code {generation}} placeholders, or
 *                          {@code null} for none
 */
public record CommitStatusSettings(Forge forge, String apiUrl, String repository, String defaultRepository,
                                   String contextPrefix, String targetUrlTemplate) {

    /** GitHub's limit for {@code description} (longer ones are refused with 422); used for every forge. */
    public static final int MAX_DESCRIPTION = 140;
    /** Kept below GitLab's 255-character limit for a status {@code name}. */
    public static final int MAX_CONTEXT = 255;

    public CommitStatusSettings {
        Objects.requireNonNull(forge, "forge");
        contextPrefix = contextPrefix == null ? "k0rdent/" : contextPrefix;
        apiUrl = apiUrl == null || apiUrl.isBlank() ? null : apiUrl.replaceAll("/+$", "");
        repository = repository == null || repository.isBlank() ? null : repository;
        defaultRepository = defaultRepository == null || defaultRepository.isBlank() ? null : defaultRepository;
        targetUrlTemplate = targetUrlTemplate == null || targetUrlTemplate.isBlank() ? null : targetUrlTemplate;
    }

    String context(String cluster) {
        return StatusText.truncate(contextPrefix + cluster, MAX_CONTEXT);
    }

    String targetUrl(PlannedStatus status) {
        if (targetUrlTemplate == null) {
            return null;
        }
        return targetUrlTemplate.replace("{cluster}", UrlSegments.encode(status.cluster()))
                .replace("{commit}", status.commit())
                .replace("{generation}", Long.toString(status.generation()));
    }
}
