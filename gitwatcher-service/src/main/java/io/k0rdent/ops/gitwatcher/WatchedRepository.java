package io.k0rdent.ops.gitwatcher;

import io.k0rdent.ops.support.Secret;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A watched repository and branch with its secrets resolved: what the rest of the service works with.
 *
 * @param key           repository (credential-free URL) and branch
 * @param fetchUrl      the URL to fetch from, exactly as configured
 * @param paths         which files are cluster definitions
 * @param pollInterval  mean time between polls
 * @param pollJitter    fraction of the interval to vary by
 * @param credentials   for the fetch; {@code null} when none are needed
 * @param webhookSecret verifies push webhooks for this repository; {@code null} refuses every webhook
 * @param matchKeys     {@link RepositoryUrls#matchKey} forms under which webhook payloads name it
 */
public record WatchedRepository(
        WatchKey key,
        String fetchUrl,
        PathGlobs paths,
        Duration pollInterval,
        double pollJitter,
        GitCredentials credentials,
        Secret webhookSecret,
        Set<String> matchKeys) {

    public WatchedRepository {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fetchUrl, "fetchUrl");
        Objects.requireNonNull(paths, "paths");
        Objects.requireNonNull(pollInterval, "pollInterval");
        matchKeys = Set.copyOf(matchKeys);
    }

    /** Only the credential-free parts: {@code fetchUrl} may carry user info. */
    @Override
    public String toString() {
        return "WatchedRepository[" + key + ", paths=" + paths + ", pollInterval=" + pollInterval + "]";
    }

    /**
     * How to authenticate a fetch.
     *
     * @param username       for https; may be null
     * @param password       password or token for https; may be null
     * @param sshKeyFile     private key for ssh URLs; may be null
     * @param knownHostsFile known_hosts for ssh URLs; may be null
     */
    public record GitCredentials(String username, Secret password, String sshKeyFile, String knownHostsFile) {

        @Override
        public String toString() {
            return "GitCredentials[username=" + username + ", password=" + (password == null ? "none" : "[secret]") + "]";
        }
    }

    /** Match keys derived from the URLs and names configured for a repository. */
    public static Set<String> matchKeysOf(String url, List<String> extraNames) {
        Set<String> keys = new HashSet<>();
        keys.add(RepositoryUrls.matchKey(url));
        extraNames.forEach(name -> keys.add(RepositoryUrls.matchKey(name)));
        return keys;
    }
}
