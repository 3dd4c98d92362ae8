package io.k0rdent.ops.gitwatcher.webhook;

import io.k0rdent.ops.gitwatcher.WatchKey;

/** Asks for an immediate, asynchronous sync of a watched branch. */
@FunctionalInterface
public interface SyncTrigger {

    /** Returns at once; false when the branch is not watched. */
    boolean trigger(WatchKey key);
}
