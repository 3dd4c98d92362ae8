package io.k0rdent.ops.notifier.commitstatus;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GitHub's "Create a commit status": {@code POST /repos/{owner}/{repo}/statuses/{sha}} with
 * {@code state} (error, failure, pending, success), {@code target_url}, {@code description}, {@code context};
 * {@code Authorization: Bearer}, {@code Accept: application/vnd.github+json}, {@code X-GitHub-Api-Version}.
 * Sources in notifier-service/DESIGN.md ("Commit statuses").
 */
public record GitHubDialect() implements ForgeDialect {

    /** The REST API version this dialect follows. */
    public static final String API_VERSION = "2022-11-28";

    @Override
    public Forge forge() {
        return Forge.GITHUB;
    }

    @Override
    public String path(RepositoryCoordinates repository, String sha) {
        return "/repos/" + UrlSegments.encode(repository.owner()) + "/" + UrlSegments.encode(repository.name())
                + "/statuses/" + UrlSegments.encode(sha);
    }

    @Override
    public Map<String, String> headers(String token) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + token);
        headers.put("Accept", "application/vnd.github+json");
        headers.put("X-GitHub-Api-Version", API_VERSION);
        return headers;
    }

    @Override
    public Map<String, Object> body(StatusRequest status) {
        return ForgeDialect.statusBody(status, "context", "failure");
    }

    /** github.com's API host, else GitHub Enterprise Server's {@code /api/v3} on the repository's host. */
    @Override
    public String defaultApiUrl(RepositoryCoordinates repository) {
        return repository.host().equalsIgnoreCase("github.com") ? "https://api.github.com"
                : "https://" + repository.host() + "/api/v3";
    }
}
