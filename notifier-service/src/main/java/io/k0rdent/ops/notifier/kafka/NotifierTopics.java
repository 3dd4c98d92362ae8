package io.k0rdent.ops.notifier.kafka;

import io.k0rdent.ops.contracts.topic.Topic;
import io.k0rdent.ops.contracts.topic.Topics;
import java.util.List;

/**
 * The topic names the notifier uses; the defaults are {@link Topics}, tests use their own.
 *
 * @param consumed    every lifecycle and rejection topic (not the notifier's own notifications topic)
 * @param notifications where {@code NotificationSent/Failed} go
 * @param deliveries  the compacted delivery ledger
 * @param deadLetters the notifier's dead-letter topic
 */
public record NotifierTopics(List<String> consumed, String notifications, String deliveries, String deadLetters) {

    public NotifierTopics {
        consumed = List.copyOf(consumed);
    }

    /** The production topics: {@code Topics.lifecycle()} minus {@code Topics.NOTIFICATIONS}. */
    public static NotifierTopics defaults() {
        return new NotifierTopics(Topics.lifecycle().stream().filter(t -> !t.equals(Topics.NOTIFICATIONS))
                .map(Topic::name).toList(), Topics.NOTIFICATIONS.name(), Topics.NOTIFIER_DELIVERIES.name(),
                Topics.DLQ_NOTIFIER.name());
    }

    /** The dead-letter topic as a {@link Topic}, for {@code DeadLetter.toRecord}. */
    public Topic deadLetterTopic() {
        return deadLetters.equals(Topics.DLQ_NOTIFIER.name()) ? Topics.DLQ_NOTIFIER
                : new Topic(deadLetters, Topics.DLQ_NOTIFIER.partitions(), false, Topics.DLQ_NOTIFIER.retention(),
                Topics.DLQ_NOTIFIER.key(), Topics.DLQ_NOTIFIER.description());
    }
}
