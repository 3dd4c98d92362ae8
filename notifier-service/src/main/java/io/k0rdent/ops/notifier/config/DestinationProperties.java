package io.k0rdent.ops.notifier.config;

import io.k0rdent.ops.contracts.event.Channel;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code notifier.destinations.<name>.*}: one named place messages go. URLs and signing keys are secrets and
 * are given only as an environment variable name ({@code url-env}) or a file path ({@code url-file}).
 */
@EachProperty("notifier.destinations")
public class DestinationProperties {

    private final String name;
    private Channel type;
    private String urlEnv;
    private String urlFile;
    private String signingKeyEnv;
    private String signingKeyFile;
    private List<String> to = new ArrayList<>();
    private Duration minInterval;
    private String forge;
    private String apiUrl;
    private String tokenEnv;
    private String tokenFile;
    private String repository;
    private String contextPrefix = "k0rdent/";
    private String targetUrlTemplate;

    public DestinationProperties(@Parameter String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    /** {@code slack}, {@code email}, {@code webhook} or {@code commit_status}. */
    public Channel getType() {
        return type;
    }

    public void setType(Channel type) {
        this.type = type;
    }

    public String getUrlEnv() {
        return urlEnv;
    }

    public void setUrlEnv(String urlEnv) {
        this.urlEnv = urlEnv;
    }

    public String getUrlFile() {
        return urlFile;
    }

    public void setUrlFile(String urlFile) {
        this.urlFile = urlFile;
    }

    public String getSigningKeyEnv() {
        return signingKeyEnv;
    }

    public void setSigningKeyEnv(String signingKeyEnv) {
        this.signingKeyEnv = signingKeyEnv;
    }

    public String getSigningKeyFile() {
        return signingKeyFile;
    }

    public void setSigningKeyFile(String signingKeyFile) {
        this.signingKeyFile = signingKeyFile;
    }

    /** E-mail recipients of an {@code email} destination. */
    public List<String> getTo() {
        return to;
    }

    public void setTo(List<String> to) {
        this.to = to;
    }

    /** Least time between two messages; default 1 s for Slack (its webhook limit), none otherwise. */
    public Duration getMinInterval() {
        return minInterval;
    }

    public void setMinInterval(Duration minInterval) {
        this.minInterval = minInterval;
    }

    /** Of a {@code commit_status} destination: {@code github}, {@code gitlab} or {@code gitea}. */
    public String getForge() {
        return forge;
    }

    public void setForge(String forge) {
        this.forge = forge;
    }

    /**
     * The forge's API root (GitHub Enterprise: {@code https://HOST/api/v3}; GitLab: {@code https://HOST/api/v4};
     * Gitea: {@code https://HOST/api/v1}); default derived from the repository's host.
     */
    public String getApiUrl() {
        return apiUrl;
    }

    public void setApiUrl(String apiUrl) {
        this.apiUrl = apiUrl;
    }

    /** The forge token's environment variable (a secret: never in events or logs). */
    public String getTokenEnv() {
        return tokenEnv;
    }

    public void setTokenEnv(String tokenEnv) {
        this.tokenEnv = tokenEnv;
    }

    /** The forge token's file. */
    public String getTokenFile() {
        return tokenFile;
    }

    public void setTokenFile(String tokenFile) {
        this.tokenFile = tokenFile;
    }

    /**
     * The repository every status of this destination goes to (a mirror, or when the clone URL is not the forge's);
     * default: the one the cluster's definition events name, else {@code notifier.repository}.
     */
    public String getRepository() {
        return repository;
    }

    public void setRepository(String repository) {
        this.repository = repository;
    }

    /** Prefix of the per-cluster status context; default {@code k0rdent/}. */
    public String getContextPrefix() {
        return contextPrefix;
    }

    public void setContextPrefix(String contextPrefix) {
        this.contextPrefix = contextPrefix;
    }

    /** The status's link, with {@code {cluster}}, {@code {commit}} and {@code {generation}}; none by default. */
    public String getTargetUrlTemplate() {
        return targetUrlTemplate;
    }

    public void setTargetUrlTemplate(String targetUrlTemplate) {
        this.targetUrlTemplate = targetUrlTemplate;
    }
}
