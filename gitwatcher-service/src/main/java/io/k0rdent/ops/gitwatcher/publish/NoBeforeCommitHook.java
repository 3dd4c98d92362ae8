package io.k0rdent.ops.gitwatcher.publish;

import jakarta.inject.Singleton;

/** The production {@link BeforeCommitHook}: does nothing. */
@Singleton
public class NoBeforeCommitHook implements BeforeCommitHook {

    @Override
    public void beforeCommit(String transactionalId, int records) {
        // Nothing: the hook exists so that tests can simulate a crash at this exact point.
    }
}
