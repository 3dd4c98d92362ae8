package io.k0rdent.ops.contracts.event;

/** A kind of notification destination. */
public enum Channel {
    SLACK,
    EMAIL,
    WEBHOOK,
    /** A per-cluster status on the pushed commit (GitHub, GitLab or Gitea commit status API). */
    COMMIT_STATUS
}
