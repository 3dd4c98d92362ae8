package io.k0rdent.ops.gitwatcher.git;

/** Git could not be read or fetched; the sync is retried with backoff. Messages never contain credentials. */
public class GitAccessException extends RuntimeException {

    public GitAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
