package io.k0rdent.ops.notifier.commitstatus;

import java.util.Map;

/**
 * Gitea's "Create a commit status": {@code POST /repos/{owner}/{repo}/statuses/{sha}} below {@code /api/v1},
 * with {@code state} (pending, success, error, failure, warning), {@code context}, {@code description},
 * {@code target_url}; {@code Authorization: token ...}. Sources in notifier-service/DESIGN.md ("Commit statuses").
 */
public record GiteaDialect() implements ForgeDialect {

    @Override
    public Forge forge() {
        return Forge.GITEA;
    }

    @Override
    public String path(RepositoryCoordinates repository, String sha) {
        return "/repos/" + UrlSegments.encode(repository.owner()) + "/" + UrlSegments.encode(repository.name())
                + "/statuses/" + UrlSegments.encode(sha);
    }

    @Override
    public Map<String, String> headers(String token) {
        return Map.of("Authorization", "token " + token);
    }

    @Override
    public Map<String, Object> body(StatusRequest status) {
        return ForgeDialect.statusBody(status, "context", "failure");
    }

    @Override
    public String defaultApiUrl(RepositoryCoordinates repository) {
        return "https://" + repository.host() + "/api/v1";
    }
}
