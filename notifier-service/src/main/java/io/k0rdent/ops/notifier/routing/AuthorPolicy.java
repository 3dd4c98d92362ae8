package io.k0rdent.ops.notifier.routing;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether the Git commit author of a change hears about their own cluster, by e-mail.
 *
 * @param enabled        on/off
 * @param destination    the name of the e-mail destination that carries these messages
 * @param allowedDomains e-mail domains the author may have (lower case); empty allows every domain. Keeps
 *                       mail from going to addresses outside the organisation (e.g. a contributor's private
 *                       address taken from a commit)
 */
public record AuthorPolicy(boolean enabled, String destination, Set<String> allowedDomains) {

    public AuthorPolicy {
        allowedDomains = allowedDomains == null ? Set.of()
                : allowedDomains.stream().map(d -> d.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    public static AuthorPolicy disabled() {
        return new AuthorPolicy(false, "commit-author", Set.of());
    }

    /** Whether a message may go to {@code email}; {@code false} for null or malformed addresses. */
    public boolean accepts(String email) {
        if (!enabled || email == null) {
            return false;
        }
        int at = email.lastIndexOf('@');
        if (at <= 0 || at == email.length() - 1) {
            return false;
        }
        String domain = email.substring(at + 1).toLowerCase(Locale.ROOT);
        return allowedDomains.isEmpty() || allowedDomains.contains(domain);
    }
}
