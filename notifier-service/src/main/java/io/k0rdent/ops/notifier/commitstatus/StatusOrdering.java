package io.k0rdent.ops.notifier.commitstatus;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a commit status from going backwards: on the same repository, commit and context, a status of an older
 * generation, or of an earlier step of the same generation (a late "provisioned" after "Ready"), is not written.
 * Memory only: after a restart the first status of each context is written whatever it is; the ledger already
 * keeps redelivered events from being written twice.
 */
final class StatusOrdering {

    private record Key(String repository, String sha, String context) {
    }

    private record Position(long generation, int rank) {
        boolean isAfter(Position other) {
            return generation > other.generation || (generation == other.generation && rank > other.rank);
        }
    }

    private final Map<Key, Position> written = new ConcurrentHashMap<>();

    /** Whether a status at ({@code generation}, {@code rank}) would go back behind one already written. */
    boolean isStale(String repository, String sha, String context, long generation, int rank) {
        Position last = written.get(new Key(repository, sha, context));
        return last != null && last.isAfter(new Position(generation, rank));
    }

    /** Remembers a written status. */
    void written(String repository, String sha, String context, long generation, int rank) {
        written.merge(new Key(repository, sha, context), new Position(generation, rank),
                (old, now) -> now.isAfter(old) ? now : old);
    }
}
