package io.k0rdent.ops.notifier.commitstatus;

import java.util.LinkedHashMap;
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
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", switch (status.state()) {
            case PENDING -> "pending";
            case SUCCESS -> "success";
            case FAILURE -> "failed";
        });
        body.put("name", status.context());
        body.put("description", status.description());
        if (status.targetUrl() != null) {
            body.put("target_url", status.targetUrl());
        }
        return body;
    }

    @Override
    public String defaultApiUrl(RepositoryCoordinates repository) {
        return "https://" + repository.host() + "/api/v4";
    }
}
