package io.k0rdent.ops.contracts.event;

/**
 * The person behind a change: the Git commit author. The e-mail is used to notify them about
 * their own cluster; it is contact data, not a credential.
 *
 * @param email may be {@code null} when the Git host hides it
 */
public record Initiator(String name, String email) {
}
