package io.k0rdent.ops.notifier.commitstatus;

/**
 * One commit status to write, in forge-neutral terms.
 *
 * @param sha         the full commit id
 * @param state       pending, success or failure
 * @param context     the per-cluster label ({@code k0rdent/<cluster>}); a later status with the same context
 *                    replaces the earlier one in the forge's UI
 * @param description short text, already within every forge's limit
 * @param targetUrl   a link for the status, or {@code null}
 */
public record StatusRequest(String sha, CommitState state, String context, String description, String targetUrl) {
}
