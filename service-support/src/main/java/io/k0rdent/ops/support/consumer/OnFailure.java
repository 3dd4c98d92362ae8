package io.k0rdent.ops.support.consumer;

import io.k0rdent.ops.contracts.deadletter.DeadLetterReason;
import io.k0rdent.ops.support.AttemptBudget;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What a consumer does when handling a readable event fails (other than {@link UnprocessableEventException}). */
public sealed interface OnFailure {

    /**
     * Records a failure of {@code record}: empty when it is to be delivered again (the exception leaves the
     * skeleton and the offset stays uncommitted), else the reason to dead-letter it with.
     */
    Optional<DeadLetterReason> failed(ConsumerRecord<?, ?> record);

    /** Forgets {@code record}: it was handled or dead-lettered. */
    void done(ConsumerRecord<?, ?> record);

    /**
     * Deliver the record again until it has failed {@code maxAttempts} times in this process, then dead-letter it as
     * {@code RETRIES_EXHAUSTED}, so no record blocks its partition for ever (see {@link AttemptBudget}).
     */
    static OnFailure retryWithin(int maxAttempts) {
        return new RetryWithin(new AttemptBudget(maxAttempts));
    }

    /** Dead-letter the record as {@code UNPROCESSABLE} at once: for a consumer whose retries happen downstream. */
    static OnFailure deadLetterAtOnce() {
        return new DeadLetterAtOnce();
    }

    /** See {@link #retryWithin}. */
    record RetryWithin(AttemptBudget attempts) implements OnFailure {

        @Override
        public Optional<DeadLetterReason> failed(ConsumerRecord<?, ?> record) {
            return attempts.failedMayRetry(record) ? Optional.empty()
                    : Optional.of(DeadLetterReason.RETRIES_EXHAUSTED);
        }

        @Override
        public void done(ConsumerRecord<?, ?> record) {
            attempts.done(record);
        }
    }

    /** See {@link #deadLetterAtOnce}. */
    record DeadLetterAtOnce() implements OnFailure {

        @Override
        public Optional<DeadLetterReason> failed(ConsumerRecord<?, ?> record) {
            return Optional.of(DeadLetterReason.UNPROCESSABLE);
        }

        @Override
        public void done(ConsumerRecord<?, ?> record) {
            // Nothing counted.
        }
    }
}
