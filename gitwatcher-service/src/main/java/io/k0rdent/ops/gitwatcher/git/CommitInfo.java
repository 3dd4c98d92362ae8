package io.k0rdent.ops.gitwatcher.git;

import java.time.Instant;

/**
 * A commit as events need it.
 *
 * @param id          full commit id
 * @param authorName  the author, who becomes the events' initiator
 * @param authorEmail may be null
 * @param subject     first line of the message
 * @param time        commit time
 */
public record CommitInfo(String id, String authorName, String authorEmail, String subject, Instant time) {
}
