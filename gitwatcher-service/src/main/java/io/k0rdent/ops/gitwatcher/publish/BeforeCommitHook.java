package io.k0rdent.ops.gitwatcher.publish;

/**
 * Called after a commit's events and state records were sent and right before the transaction is
 * committed. Production uses {@link NoBeforeCommitHook}; tests replace it to crash exactly between
 * "events produced" and "watermark stored".
 */
public interface BeforeCommitHook {

    /**
     * @param transactionalId the producer's transactional id
     * @param records         how many records the transaction holds
     */
    void beforeCommit(String transactionalId, int records);
}
