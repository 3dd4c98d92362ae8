package io.k0rdent.ops.gitwatcher.sync;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * What {@code GET /repositories} shows for one watched branch. Never holds a credential: the
 * repository is the credential-free URL, and errors are our own messages.
 *
 * @param repository          the repository URL without user info
 * @param branch              the watched branch
 * @param lastProcessedCommit the watermark, or null before the first sync
 * @param clusters            accepted clusters on the branch
 * @param lastFetchAt         when the last fetch succeeded
 * @param lastError           the last sync error, or null after a successful sync
 * @param lastErrorAt         when it happened
 * @param consecutiveFailures syncs failed in a row
 */
@Serdeable
public record RepositoryStatus(
        String repository,
        String branch,
        String lastProcessedCommit,
        int clusters,
        Instant lastFetchAt,
        String lastError,
        Instant lastErrorAt,
        int consecutiveFailures) {
}
