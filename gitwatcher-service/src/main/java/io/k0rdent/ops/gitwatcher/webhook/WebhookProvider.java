package io.k0rdent.ops.gitwatcher.webhook;

/**
 * The Git hosts whose push webhooks are understood, with the headers each one uses. The endpoint
 * path decides the provider, never the headers: Gitea also sends {@code X-GitHub-Event}.
 */
public enum WebhookProvider {
    /** {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>}. */
    GITHUB("X-Hub-Signature-256", "X-GitHub-Delivery"),
    /** {@code X-Gitlab-Token: <the secret itself>}; no body signature. */
    GITLAB("X-Gitlab-Token", "Idempotency-Key"),
    /** {@code X-Gitea-Signature: <hex HMAC-SHA256 of the raw body>}, without a prefix. */
    GITEA("X-Gitea-Signature", "X-Gitea-Delivery");

    private final String signatureHeader;
    private final String deliveryHeader;

    WebhookProvider(String signatureHeader, String deliveryHeader) {
        this.signatureHeader = signatureHeader;
        this.deliveryHeader = deliveryHeader;
    }

    public String signatureHeader() {
        return signatureHeader;
    }

    /** The header that stays the same when the host redelivers the same event: the dedupe key. */
    public String deliveryHeader() {
        return deliveryHeader;
    }
}
