package io.k0rdent.ops.notifier.commitstatus;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Where a repository lives on its forge, derived from its clone URL: {@code https://host/owner/repo(.git)},
 * {@code ssh://git@host[:port]/owner/repo.git} or the scp-like {@code git@host:owner/repo.git}. GitLab
 * subgroups make the namespace longer ({@code group/subgroup/repo}); {@link #owner()} is then everything before
 * the last segment.
 *
 * @param host     the forge's host name, without port or user info
 * @param segments the path segments, namespace first and repository name last, without {@code .git}
 */
public record RepositoryCoordinates(String host, List<String> segments) {

    public RepositoryCoordinates {
        Objects.requireNonNull(host, "host");
        segments = List.copyOf(segments);
        if (segments.size() < 2) {
            throw new IllegalArgumentException("a repository path needs an owner and a name");
        }
    }

    /** The namespace: owner, organisation or (GitLab) group path with subgroups. */
    public String owner() {
        return String.join("/", segments.subList(0, segments.size() - 1));
    }

    /** The repository's name. */
    public String name() {
        return segments.get(segments.size() - 1);
    }

    /** {@code owner/name}, the full path GitLab encodes as a project id. */
    public String fullPath() {
        return String.join("/", segments);
    }

    /**
     * Parses a clone URL.
     *
     * @throws IllegalArgumentException when the URL has no host or fewer than two path segments
     */
    public static RepositoryCoordinates parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("no repository URL");
        }
        String trimmed = url.trim();
        String host;
        String path;
        if (trimmed.contains("://")) {
            URI uri;
            try {
                uri = new URI(trimmed);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not a repository URL: " + e.getReason(), e);
            }
            host = uri.getHost();
            path = uri.getPath();
        } else {
            // scp-like syntax: [user@]host:path (Git's own rule: a colon before the first slash)
            int colon = trimmed.indexOf(':');
            int slash = trimmed.indexOf('/');
            if (colon < 0 || (slash >= 0 && slash < colon)) {
                throw new IllegalArgumentException("not a repository URL: expected scheme://host/path or host:path");
            }
            String userHost = trimmed.substring(0, colon);
            host = userHost.substring(userHost.indexOf('@') + 1);
            path = trimmed.substring(colon + 1);
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("repository URL has no host");
        }
        String cleaned = path == null ? "" : path.replaceAll("/+$", "");
        if (cleaned.endsWith(".git")) {
            cleaned = cleaned.substring(0, cleaned.length() - ".git".length());
        }
        List<String> segments = Arrays.stream(cleaned.split("/")).filter(s -> !s.isEmpty()).toList();
        if (segments.size() < 2) {
            throw new IllegalArgumentException("repository URL needs owner/name in its path");
        }
        return new RepositoryCoordinates(host, segments);
    }
}
