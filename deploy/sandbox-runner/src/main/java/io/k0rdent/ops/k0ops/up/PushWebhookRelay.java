package io.k0rdent.ops.k0ops.up;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Plays the Git host's part for the sandbox's bare repository: when the branch head moves, it sends the
 * gitwatcher a Gitea-style push webhook, signed like Gitea signs it, so a push is picked up at once instead
 * of at the next poll. A bare repository has no event to wait for (JGit runs no hooks on a local push), so
 * its head is read a few times a second, which costs one small file read.
 *
 * <p>A delivery that fails (the gitwatcher is restarting) is tried again on the next round; the gitwatcher
 * drops duplicates and syncs the whole branch anyway, so a repeated delivery does no harm.
 */
public final class PushWebhookRelay implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(250);
    private static final String ZERO = ObjectId.zeroId().name();

    private final Supplier<ObjectId> head;
    private final String branch;
    private final String repositoryUrl;
    private final URI webhookUrl;
    private final byte[] secret;
    private final Consumer<String> log;
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "push-webhook-relay");
        thread.setDaemon(true);
        return thread;
    });
    /** The head the gitwatcher was last told about. */
    private ObjectId delivered;

    /**
     * @param head          reads the bare repository's branch head (null before the first push)
     * @param repositoryUrl the URL the gitwatcher watches, sent as the payload's {@code clone_url}
     * @param webhookUrl    the gitwatcher's {@code /webhooks/gitea}
     * @param secret        the webhook secret both sides share
     * @param log           where deliveries are reported (one line each)
     */
    public PushWebhookRelay(Supplier<ObjectId> head, String branch, String repositoryUrl, URI webhookUrl, String secret,
                            Consumer<String> log) {
        this.head = head;
        this.branch = branch;
        this.repositoryUrl = repositoryUrl;
        this.webhookUrl = webhookUrl;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.log = log;
    }

    /** Starts watching; the head at this moment counts as known (the gitwatcher syncs it when it starts). */
    public PushWebhookRelay start() {
        delivered = head.get();
        poller.scheduleWithFixedDelay(this::checkOnce, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void checkOnce() {
        try {
            ObjectId current = head.get();
            if (current == null || Objects.equals(current, delivered)) {
                return;
            }
            int status = deliver(delivered, current);
            if (status / 100 == 2) {
                log.accept("push to " + branch + " (" + current.abbreviate(8).name() + "): webhook delivered, HTTP " + status);
                delivered = current;
            }
        } catch (Exception e) {
            // The gitwatcher may be (re)starting; the next round tries again.
        }
    }

    private int deliver(ObjectId before, ObjectId after) throws Exception {
        byte[] body = payload(before, after);
        HttpRequest request = HttpRequest.newBuilder(webhookUrl)
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .header("X-Gitea-Event", "push")
                .header("X-Gitea-Delivery", UUID.randomUUID().toString())
                .header("X-Gitea-Signature", sign(body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The fields a Gitea push payload has and the gitwatcher reads; the commits themselves come from Git. */
    byte[] payload(ObjectId before, ObjectId after) throws Exception {
        ObjectNode root = mapper.createObjectNode();
        root.put("ref", "refs/heads/" + branch);
        root.put("before", before == null ? ZERO : before.name());
        root.put("after", after.name());
        ObjectNode repository = root.putObject("repository");
        repository.put("name", "gitops");
        repository.put("full_name", "k0ops/gitops");
        repository.put("clone_url", repositoryUrl);
        return mapper.writeValueAsBytes(root);
    }

    /** Gitea's {@code X-Gitea-Signature}: lower-case hex HMAC-SHA256 of the raw body, without a prefix. */
    String sign(byte[] body) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
