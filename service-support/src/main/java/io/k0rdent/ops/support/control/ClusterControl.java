package io.k0rdent.ops.support.control;

import io.k0rdent.ops.contracts.control.Suspensions;
import io.k0rdent.ops.contracts.event.ClusterEvent;
import io.k0rdent.ops.contracts.event.ClusterSuspended;
import io.k0rdent.ops.contracts.event.ControlEvent;
import io.k0rdent.ops.contracts.serde.ClusterEventCodec;
import io.k0rdent.ops.support.kafka.TopicFollower;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What people asked of clusters outside Git, as one service replica sees it: the {@link Suspensions} folded from the
 * whole control topic, kept current by a {@link TopicFollower} (every partition, no group, so each replica knows every
 * suspension whatever partitions its groups own), and fed as well by the service's own control listener, which may
 * read a record first.
 *
 * <p>Until the topic has been read to the end once, {@link #isSuspended} waits (bounded): acting on a cluster before
 * knowing it is suspended would break the promise a suspension makes. A service that cannot read the topic fails its
 * records, which are retried, rather than act unknowingly.
 */
public final class ClusterControl implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterControl.class);

    private final Suspensions suspensions = new Suspensions();
    private final CountDownLatch loaded = new CountDownLatch(1);
    private final ClusterEventCodec codec = new ClusterEventCodec(URI.create("/k0rdent-ops/control-reader"));
    private final TopicFollower follower;
    private final String topic;
    private final Duration wait;
    private volatile boolean closed;

    public ClusterControl(Map<String, Object> clientConfig, String clientId, String topic, Duration timeout) {
        this.topic = topic;
        this.wait = timeout.multipliedBy(6);
        this.follower = new TopicFollower(clientConfig, clientId, topic, timeout, this::follow);
    }

    /** Reads the topic to its end, then follows it. Call once at start; safe to call again after a failure. */
    public void load() {
        int read = follower.catchUp();
        loaded.countDown();
        follower.start();
        LOG.info("{} read: {} control records, following", topic, read);
    }

    /**
     * {@link #load()} on a daemon thread, tried again with a growing pause (up to a minute) while the broker cannot
     * be read, so a service that starts before its broker still learns every suspension before it acts.
     */
    public void loadInBackground() {
        Thread loader = new Thread(() -> {
            Duration pause = Duration.ofSeconds(1);
            while (!closed && loaded.getCount() > 0) {
                try {
                    load();
                } catch (RuntimeException e) {
                    LOG.warn("cannot read {} yet ({}); trying again in {}", topic, e.getMessage(), pause);
                    try {
                        Thread.sleep(pause.toMillis());
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                    pause = pause.multipliedBy(2).compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1)
                            : pause.multipliedBy(2);
                }
            }
        }, "load-" + topic);
        loader.setDaemon(true);
        loader.start();
    }

    /** Whether the topic has been read to its end once. */
    public boolean loaded() {
        return loaded.getCount() == 0;
    }

    private void follow(ConsumerRecord<String, byte[]> record) {
        ClusterEvent event = codec.decode(record);
        if (event instanceof ControlEvent control) {
            apply(control, record.offset());
        }
    }

    /** Applies a control record read by the service's own listener (idempotent with the follower's copy). */
    public void apply(ControlEvent event, long offset) {
        if (suspensions.apply(event, offset)) {
            LOG.info("cluster {}: {} by {}", event.header().clusterName(), event.type().ceType(),
                    event.header().initiator() == null ? "unknown" : event.header().initiator().name());
        }
    }

    /** Whether no action may start for the cluster; waits for the first full read of the topic. */
    public boolean isSuspended(String cluster) {
        return suspension(cluster).isPresent();
    }

    public Optional<ClusterSuspended> suspension(String cluster) {
        try {
            if (!loaded.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the control topic " + topic + " has not been read yet; "
                        + "cannot tell whether " + cluster + " is suspended");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + topic, e);
        }
        return suspensions.suspension(cluster);
    }

    @Override
    public void close() {
        closed = true;
        follower.close();
    }
}
