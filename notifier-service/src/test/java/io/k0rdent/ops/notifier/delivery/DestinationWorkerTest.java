package io.k0rdent.ops.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k0rdent.ops.contracts.event.Channel;
import io.k0rdent.ops.notifier.message.MessageContent;
import io.k0rdent.ops.notifier.message.OutgoingMessage;
import io.k0rdent.ops.notifier.routing.Severity;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DestinationWorkerTest {

    private static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(40),
            Duration.ofSeconds(1));
    private final RecordingListener listener = new RecordingListener();
    private final List<DestinationWorker> workers = new ArrayList<>();

    @AfterEach
    void close() {
        workers.forEach(DestinationWorker::close);
    }

    @Test
    void retriesUntilDeliveredHonouringRetryAfter() {
        ScriptedNotifier notifier = new ScriptedNotifier(
                new SendOutcome.RetryLater(Duration.ofMillis(50), "HTTP 429"),
                new SendOutcome.RetryLater(null, "HTTP 500"),
                new SendOutcome.Delivered());
        DestinationWorker worker = worker("slack", notifier);

        worker.submit(delivery("slack"));

        await().untilAsserted(() -> assertThat(listener.delivered).hasSize(1));
        assertThat(notifier.attempts).hasSize(3);
        assertThat(listener.failed).isEmpty();
    }

    @Test
    void givesUpAfterMaxAttemptsAsNonPermanent() {
        DestinationWorker worker = worker("flaky", new ScriptedNotifier(new SendOutcome.RetryLater(null, "HTTP 503"),
                new SendOutcome.RetryLater(null, "HTTP 503"), new SendOutcome.RetryLater(null, "HTTP 503")));

        worker.submit(delivery("flaky"));

        await().untilAsserted(() -> assertThat(listener.failed).containsExactly("flaky false"));
    }

    @Test
    void aPermanentFailureIsNotRetriedAndTheNextMessageFollows() {
        ScriptedNotifier notifier = new ScriptedNotifier(new SendOutcome.PermanentFailure("HTTP 404 no_service"),
                new SendOutcome.Delivered());
        DestinationWorker worker = worker("gone", notifier);

        worker.submit(delivery("gone"));
        worker.submit(delivery("gone"));

        await().untilAsserted(() -> assertThat(listener.delivered).hasSize(1));
        assertThat(listener.failed).containsExactly("gone true");
        assertThat(notifier.attempts).hasSize(2);
    }

    @Test
    void aBlockedDestinationDoesNotHoldUpAnother() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Notifier stuck = new Notifier() {
            @Override
            public Channel channel() {
                return Channel.WEBHOOK;
            }

            @Override
            public SendOutcome send(OutgoingMessage message) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new SendOutcome.Delivered();
            }
        };
        DestinationWorker blocked = worker("stuck", stuck);
        DestinationWorker healthy = worker("healthy", new ScriptedNotifier(new SendOutcome.Delivered(),
                new SendOutcome.Delivered()));

        blocked.submit(delivery("stuck"));
        healthy.submit(delivery("healthy"));
        healthy.submit(delivery("healthy"));

        await().untilAsserted(() -> assertThat(listener.delivered).containsExactly("healthy", "healthy"));
        release.countDown();
        await().untilAsserted(() -> assertThat(listener.delivered).hasSize(3));
    }

    private DestinationWorker worker(String name, Notifier notifier) {
        DestinationWorker worker = new DestinationWorker(name, notifier, new RateLimiter(Duration.ZERO), FAST,
                Clock.systemUTC(), listener);
        workers.add(worker);
        return worker;
    }

    static Delivery delivery(String destination) {
        MessageContent content = new MessageContent("t", Severity.INFO, List.of(), List.of(), 0, 1);
        return new Delivery(Channel.SLACK, new OutgoingMessage(UUID.randomUUID(), destination, null, content,
                List.of()), List.of());
    }

    static final class ScriptedNotifier implements Notifier {
        private final Deque<SendOutcome> script;
        final Queue<OutgoingMessage> attempts = new ConcurrentLinkedQueue<>();

        ScriptedNotifier(SendOutcome... outcomes) {
            this.script = new ArrayDeque<>(List.of(outcomes));
        }

        @Override
        public Channel channel() {
            return Channel.SLACK;
        }

        @Override
        public synchronized SendOutcome send(OutgoingMessage message) {
            attempts.add(message);
            return script.isEmpty() ? new SendOutcome.Delivered() : script.removeFirst();
        }
    }

    static final class RecordingListener implements DeliveryListener {
        final Queue<String> delivered = new ConcurrentLinkedQueue<>();
        final Queue<String> failed = new ConcurrentLinkedQueue<>();

        @Override
        public void delivered(Delivery delivery) {
            delivered.add(delivery.destination());
        }

        @Override
        public void failed(Delivery delivery, String reason, boolean permanent) {
            failed.add(delivery.destination() + " " + permanent);
        }
    }
}
