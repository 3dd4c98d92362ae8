package io.k0rdent.ops.gitwatcher.webhook;

import io.k0rdent.ops.gitwatcher.telemetry.WebhookTracing;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/github|gitlab|gitea}. Takes the body as raw bytes (signatures are over the
 * exact bytes sent) and hands it to {@link PushWebhookHandler}; answers at once, the sync runs later.
 * A form-encoded body ({@code payload=...}) also arrives here as sent, undecoded: the handler decodes it
 * only after checking the signature over those bytes.
 * It may run on the event loop: the handler only checks, parses and schedules, and never blocks.
 *
 * <p>The body is {@code @Nullable} (Micronaut warns about it on an array) so that an empty request gets
 * the same {@code 401} as any other unsigned one, instead of Micronaut's own {@code 400}.
 */
@Controller("/webhooks")
public class PushWebhookController {

    private static final Logger LOG = LoggerFactory.getLogger(PushWebhookController.class);

    private final PushWebhookHandler handler;
    private final WebhookTracing tracing;

    public PushWebhookController(PushWebhookHandler handler, WebhookTracing tracing) {
        this.handler = handler;
        this.tracing = tracing;
    }

    /** The answer body, for the host's delivery log. */
    @Serdeable
    public record WebhookResponse(String result, String message, List<String> triggered) {
    }

    @Post(uri = "/github", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<WebhookResponse> github(HttpHeaders headers, @Nullable @Body byte[] body) {
        return handle("/webhooks/github", WebhookProvider.GITHUB, headers, body);
    }

    @Post(uri = "/gitlab", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<WebhookResponse> gitlab(HttpHeaders headers, @Nullable @Body byte[] body) {
        return handle("/webhooks/gitlab", WebhookProvider.GITLAB, headers, body);
    }

    @Post(uri = "/gitea", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<WebhookResponse> gitea(HttpHeaders headers, @Nullable @Body byte[] body) {
        return handle("/webhooks/gitea", WebhookProvider.GITEA, headers, body);
    }

    private HttpResponse<WebhookResponse> handle(String route, WebhookProvider provider, HttpHeaders headers,
                                                 byte[] body) {
        return tracing.serve(route, headers::get, () -> respond(handler.handle(provider, headers::get, body)),
                HttpResponse::code);
    }

    /**
     * Whatever fails unexpectedly while a webhook is handled answers a bare 500: a response never carries an
     * exception's text, which could quote the payload or name internals. The exception goes to the log.
     */
    @Error(exception = Exception.class)
    public HttpResponse<WebhookResponse> unexpected(HttpRequest<?> request, Exception e) {
        LOG.error("webhook {} failed unexpectedly", request.getPath(), e);
        return HttpResponse.<WebhookResponse>serverError()
                .body(new WebhookResponse("error", "internal error; see the gitwatcher's log", List.of()));
    }

    private static HttpResponse<WebhookResponse> respond(WebhookOutcome outcome) {
        return HttpResponse.<WebhookResponse>status(HttpStatus.valueOf(outcome.result().status()))
                .body(new WebhookResponse(outcome.result().name().toLowerCase(java.util.Locale.ROOT),
                        outcome.message(), outcome.triggered()));
    }
}
