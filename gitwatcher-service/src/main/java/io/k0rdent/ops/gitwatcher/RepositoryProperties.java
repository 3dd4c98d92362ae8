package io.k0rdent.ops.gitwatcher;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import java.time.Duration;
import java.util.List;

/**
 * One watched repository and branch, bound from {@code k0rdent.gitwatcher.repositories[n]}.
 *
 * <p>Secrets are never given inline in production: {@code password-env}/{@code password-file} and
 * {@code webhook-secret-env}/{@code webhook-secret-file} name where they come from. An inline
 * {@code webhook-secret} exists for tests and for {@code ${ENV}} placeholders.
 */
@EachProperty(value = "k0rdent.gitwatcher.repositories", list = true)
public class RepositoryProperties {

    private final int index;
    private String url;
    private String branch = "main";
    private List<String> paths = List.of("clusters/**/*.yaml", "clusters/**/*.yml");
    private Duration pollInterval = Duration.ofSeconds(60);
    private double pollJitter = 0.2;
    private String username;
    private String passwordEnv;
    private String passwordFile;
    private String sshKeyFile;
    private String knownHostsFile;
    private String webhookSecret;
    private String webhookSecretEnv;
    private String webhookSecretFile;
    private List<String> webhookNames = List.of();

    public RepositoryProperties(@Parameter Integer index) {
        this.index = index;
    }

    /** Position in the configured list, used in messages about a broken entry. */
    public int getIndex() {
        return index;
    }

    /** Remote URL: https, ssh or file. User info in it is stripped from everything that is shown. */
    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getBranch() {
        return branch;
    }

    public void setBranch(String branch) {
        this.branch = branch;
    }

    /** Git-style globs of definition files ({@code **} spans directories, also none). */
    public List<String> getPaths() {
        return paths;
    }

    public void setPaths(List<String> paths) {
        this.paths = paths;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    /** Fraction of the poll interval added or removed at random, so many watchers do not poll in step. */
    public double getPollJitter() {
        return pollJitter;
    }

    public void setPollJitter(double pollJitter) {
        this.pollJitter = pollJitter;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPasswordEnv() {
        return passwordEnv;
    }

    public void setPasswordEnv(String passwordEnv) {
        this.passwordEnv = passwordEnv;
    }

    public String getPasswordFile() {
        return passwordFile;
    }

    public void setPasswordFile(String passwordFile) {
        this.passwordFile = passwordFile;
    }

    public String getSshKeyFile() {
        return sshKeyFile;
    }

    public void setSshKeyFile(String sshKeyFile) {
        this.sshKeyFile = sshKeyFile;
    }

    public String getKnownHostsFile() {
        return knownHostsFile;
    }

    public void setKnownHostsFile(String knownHostsFile) {
        this.knownHostsFile = knownHostsFile;
    }

    public String getWebhookSecret() {
        return webhookSecret;
    }

    public void setWebhookSecret(String webhookSecret) {
        this.webhookSecret = webhookSecret;
    }

    public String getWebhookSecretEnv() {
        return webhookSecretEnv;
    }

    public void setWebhookSecretEnv(String webhookSecretEnv) {
        this.webhookSecretEnv = webhookSecretEnv;
    }

    public String getWebhookSecretFile() {
        return webhookSecretFile;
    }

    public void setWebhookSecretFile(String webhookSecretFile) {
        this.webhookSecretFile = webhookSecretFile;
    }

    /**
     * Further names webhook payloads may use for this repository (clone URLs, {@code owner/name}),
     * for when the configured URL is a mirror or an internal address.
     */
    public List<String> getWebhookNames() {
        return webhookNames;
    }

    public void setWebhookNames(List<String> webhookNames) {
        this.webhookNames = webhookNames;
    }

    @Override
    public String toString() {
        // Deliberately only the non-secret fields.
        return "repositories[" + index + "] " + url + " " + branch;
    }
}
