package io.k0rdent.ops.gitwatcher.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.k0rdent.ops.gitwatcher.RepositoryUrls;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads the fields we need from a GitHub, GitLab or Gitea push payload. Everything else (the commit
 * list, the pusher, Gitea's deprecated in-body {@code secret}) is ignored: the commits themselves
 * are read from Git, which is the source of truth, never from the webhook.
 */
public final class PushEventParser {

    private static final String[] REPOSITORY_FIELDS = {
            "clone_url", "ssh_url", "git_url", "html_url", "url", "full_name", // GitHub, Gitea
            "git_http_url", "git_ssh_url", "http_url", "ssh_url", "web_url", "homepage", "path_with_namespace" // GitLab
    };

    private final ObjectMapper mapper = new ObjectMapper();

    /**
     * @throws MalformedPayloadException when the body is not a JSON object with a {@code ref}
     */
    public PushEvent parse(byte[] body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (StreamConstraintsException e) {
            // Jackson's own limits (nesting depth, number or string length): no push payload comes near them.
            throw new MalformedPayloadException("body is nested too deeply or has a value too long to be a push");
        } catch (JsonProcessingException e) {
            // Only the location, when there is one: the message would quote the payload.
            throw new MalformedPayloadException(e.getLocation() == null ? "body is not valid JSON"
                    : "body is not valid JSON (line " + e.getLocation().getLineNr() + ")");
        } catch (IOException | RuntimeException e) {
            throw new MalformedPayloadException("body cannot be read as JSON");
        }
        if (root == null || !root.isObject()) {
            throw new MalformedPayloadException("body is not a JSON object");
        }
        JsonNode ref = root.get("ref");
        if (ref == null || !ref.isTextual()) {
            throw new MalformedPayloadException("payload has no ref: not a push event");
        }
        Set<String> names = new HashSet<>();
        collect(root.get("repository"), names);
        collect(root.get("project"), names);
        String after = root.path("after").asText(null);
        boolean deleted = root.path("deleted").asBoolean(false)
                || (after != null && after.matches("0{40}|0{64}"));
        return new PushEvent(ref.asText(), after, deleted, names);
    }

    private static void collect(JsonNode node, Set<String> names) {
        if (node == null || !node.isObject()) {
            return;
        }
        for (String field : REPOSITORY_FIELDS) {
            JsonNode value = node.get(field);
            if (value != null && value.isTextual() && !value.asText().isBlank()) {
                names.add(RepositoryUrls.matchKey(value.asText()));
            }
        }
    }
}
