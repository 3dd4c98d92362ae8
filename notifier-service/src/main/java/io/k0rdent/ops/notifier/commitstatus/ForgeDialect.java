package io.k0rdent.ops.notifier.commitstatus;

import java.util.Map;

/**
 * How one forge's commit status API is spoken: the path, the credential header, the body's field names and
 * state names. The HTTP exchange itself is shared ({@link CommitStatusNotifier}).
 */
public sealed interface ForgeDialect permits GitHubDialect, GitLabDialect, GiteaDialect {

    Forge forge();

    /** The request path below the API root, with every segment URL-encoded. */
    String path(RepositoryCoordinates repository, String sha);

    /** Headers besides {@code Content-Type}, including the credential. Never logged. */
    Map<String, String> headers(String token);

    /** The JSON body's fields. */
    Map<String, Object> body(StatusRequest status);

    /** The API root when none is configured, derived from the repository's host. */
    String defaultApiUrl(RepositoryCoordinates repository);

    /**
     * The body the three forges share: {@code state}, the context under {@code contextField}, {@code description} and
     * {@code target_url} when there is one; they differ only in the context's field name and a failure's state.
     */
    static Map<String, Object> statusBody(StatusRequest status, String contextField, String failureState) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("state", switch (status.state()) {
            case PENDING -> "pending";
            case SUCCESS -> "success";
            case FAILURE -> failureState;
        });
        body.put(contextField, status.context());
        body.put("description", status.description());
        if (status.targetUrl() != null) {
            body.put("target_url", status.targetUrl());
        }
        return body;
    }

    /** The dialect for {@code forge}. */
    static ForgeDialect of(Forge forge) {
        return switch (forge) {
            case GITHUB -> new GitHubDialect();
            case GITLAB -> new GitLabDialect();
            case GITEA -> new GiteaDialect();
        };
    }
}
