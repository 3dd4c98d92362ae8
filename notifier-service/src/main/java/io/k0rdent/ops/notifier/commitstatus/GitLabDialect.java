package io.k0rdent.ops.notifier.commitstatus;

import java.util.Map;

/**
 * GitLab's "Set the pipeline status of a commit": {@code POST /projects/{id}/statuses/{sha}} below
 * {@code /api/v4}, the project id being the URL-encoded full path (subgroups included), with {@code state}
 * (pending, running, success, failed, canceled), {@code name}, {@code description}, {@code target_url};
 * {@code PRIVATE-TOKEN} header. Sources in notifier-service/DESIGN.md ("Commit statuses").
 */
public record GitLabDialect() implements ForgeDialect {

    @Override
    public Forge forge() {
        return Forge.GITLAB;
    }

    @Override
    public String path(RepositoryCoordinates repository, String sha) {
        return "/projects/" + UrlSegments.encode(repository.fullPath()) + "/statuses/" + UrlSegments.encode(sha);
    }

    @Override
    public Map<String, String> headers(String token) {
        return Map.of("PRIVATE-TOKEN", token);
    }

    @Override
    public Map<String, Object> body(StatusRequest status) {
        return ForgeDialect.statusBody(status, "name", "failed");
    }

    @Override
    public String defaultApiUrl(RepositoryCoordinates repository) {
        return "https://" + repository.host() + "/api/v4";
    }
}
