package io.k0rdent.ops.gitwatcher.git;

import io.k0rdent.ops.gitwatcher.PathGlobs;
import io.k0rdent.ops.gitwatcher.WatchedRepository;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;
import org.eclipse.jgit.treewalk.AbstractTreeIterator;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.io.DisabledOutputStream;

/**
 * The Git adapter: a local bare mirror of one watched repository, fetched from the remote and read
 * by tree diffs. Nothing outside this class touches JGit.
 *
 * <p>Not thread-safe: one sync of a repository runs at a time.
 */
public final class RepositoryMirror implements AutoCloseable {

    /** Remote-tracking namespace in the mirror; all branches are fetched so that a deleted branch is seen as gone. */
    private static final String TRACKING = "refs/remotes/origin/";
    /** A push can bring thousands of commits; events list the newest ones only. */
    static final int MAX_COMMITS_LISTED = 1000;

    private final WatchedRepository repository;
    private final Git git;
    private final int fetchTimeoutSeconds;
    private final SshdSessionFactory sshSessionFactory;

    private RepositoryMirror(WatchedRepository repository, Git git, int fetchTimeoutSeconds, SshdSessionFactory ssh) {
        this.repository = repository;
        this.git = git;
        this.fetchTimeoutSeconds = fetchTimeoutSeconds;
        this.sshSessionFactory = ssh;
    }

    /** Opens the mirror in {@code dir}, creating an empty bare repository there on first use. */
    public static RepositoryMirror open(WatchedRepository repository, Path dir, int fetchTimeoutSeconds) {
        try {
            Git git;
            if (Files.isDirectory(dir.resolve("objects"))) {
                git = Git.open(dir.toFile());
            } else {
                Files.createDirectories(dir);
                git = Git.init().setBare(true).setDirectory(dir.toFile()).call();
            }
            return new RepositoryMirror(repository, git, fetchTimeoutSeconds, sshFactory(repository));
        } catch (IOException | GitAPIException e) {
            throw new GitAccessException("cannot open mirror " + dir + ": " + e.getMessage(), e);
        }
    }

    private static SshdSessionFactory sshFactory(WatchedRepository repository) {
        WatchedRepository.GitCredentials c = repository.credentials();
        if (c == null || (c.sshKeyFile() == null && c.knownHostsFile() == null)) {
            return null;
        }
        SshdSessionFactoryBuilder builder = new SshdSessionFactoryBuilder();
        if (c.sshKeyFile() != null) {
            Path key = Path.of(c.sshKeyFile());
            builder.setDefaultIdentities(sshDir -> List.of(key));
            builder.setSshDirectory(key.toAbsolutePath().getParent().toFile());
            builder.setHomeDirectory(key.toAbsolutePath().getParent().toFile());
        }
        if (c.knownHostsFile() != null) {
            Path knownHosts = Path.of(c.knownHostsFile());
            builder.setDefaultKnownHostsFiles(sshDir -> List.of(knownHosts));
        }
        return builder.build(null);
    }

    /**
     * Fetches every branch of the remote, force-updating the mirror's refs (history may have been
     * rewritten) and dropping the refs of deleted branches.
     *
     * @return the head of the watched branch, or empty when the remote no longer has it
     */
    public Optional<String> fetch() {
        try {
            FetchCommand fetch = git.fetch()
                    .setRemote(repository.fetchUrl())
                    .setRefSpecs(new RefSpec("+refs/heads/*:" + TRACKING + "*"))
                    .setRemoveDeletedRefs(true)
                    .setTimeout(fetchTimeoutSeconds);
            WatchedRepository.GitCredentials c = repository.credentials();
            if (c != null && c.password() != null) {
                fetch.setCredentialsProvider(new UsernamePasswordCredentialsProvider(
                        c.username() == null ? "git" : c.username(), c.password().reveal()));
            }
            if (sshSessionFactory != null) {
                fetch.setTransportConfigCallback(transport -> {
                    if (transport instanceof SshTransport ssh) {
                        ssh.setSshSessionFactory(sshSessionFactory);
                    }
                });
            }
            fetch.call();
            Ref head = git.getRepository().exactRef(TRACKING + repository.key().branch());
            return Optional.ofNullable(head).map(Ref::getObjectId).map(ObjectId::name);
        } catch (GitAPIException | IOException e) {
            // JGit messages name the URL as configured; strip credentials in case it carries user info.
            throw new GitAccessException("fetch of " + repository.key() + " failed: "
                    + sanitize(e.getMessage()) + hostKeyHint(e), null);
        }
    }

    /**
     * SSHD's "Server key did not validate" does not say against what. An operator seeing it must learn that
     * the server's host key is missing from or differs from known_hosts (a changed key or a man in the middle).
     */
    private String hostKeyHint(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("Server key did not validate")) {
                WatchedRepository.GitCredentials c = repository.credentials();
                String file = c == null || c.knownHostsFile() == null ? "the default known_hosts"
                        : "known_hosts file " + c.knownHostsFile();
                return " (the server's host key is not in " + file + " for this host, or differs from it)";
            }
        }
        return "";
    }

    /** Whether the mirror has {@code commitId} as a commit (it may not after a re-clone and a force-push). */
    public boolean hasCommit(String commitId) {
        try (RevWalk walk = new RevWalk(git.getRepository())) {
            ObjectId id = ObjectId.fromString(commitId);
            if (!git.getRepository().getObjectDatabase().has(id)) {
                return false;
            }
            walk.parseCommit(id);
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The definition files that differ between two commits' trees, with renames detected. Only the
     * trees are compared, not the history between them, so a force-push is handled like any change.
     *
     * @param fromCommit the last processed commit, or {@code null} to compare with an empty tree
     * @param toCommit   the new head
     * @param paths      which paths are definition files
     */
    public List<FileChange> changes(String fromCommit, String toCommit, PathGlobs paths) {
        Repository repo = git.getRepository();
        try (ObjectReader reader = repo.newObjectReader();
             RevWalk walk = new RevWalk(reader);
             DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            diff.setRepository(repo);
            diff.setDetectRenames(true);
            AbstractTreeIterator from = fromCommit == null ? new EmptyTreeIterator()
                    : new CanonicalTreeParser(null, reader, walk.parseCommit(ObjectId.fromString(fromCommit)).getTree());
            AbstractTreeIterator to = new CanonicalTreeParser(null, reader,
                    walk.parseCommit(ObjectId.fromString(toCommit)).getTree());
            List<FileChange> changes = new ArrayList<>();
            for (DiffEntry entry : diff.scan(from, to)) {
                toFileChange(entry, paths).ifPresent(changes::add);
            }
            return changes;
        } catch (IOException e) {
            throw new GitAccessException("diff of " + repository.key() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Every definition file in a commit, as additions: used when there is no usable last commit to
     * diff against (first start, or the mirror lost it), and compared with the stored state instead.
     */
    public List<FileChange> allFiles(String commitId, PathGlobs paths) {
        return changes(null, commitId, paths);
    }

    private static Optional<FileChange> toFileChange(DiffEntry entry, PathGlobs paths) {
        boolean oldIsDefinition = paths.matches(entry.getOldPath()) && isFile(entry.getOldMode());
        boolean newIsDefinition = paths.matches(entry.getNewPath()) && isFile(entry.getNewMode());
        String newBlob = entry.getNewId() == null || entry.getNewId().toObjectId() == null ? null
                : entry.getNewId().toObjectId().name();
        return switch (entry.getChangeType()) {
            case ADD, COPY -> newIsDefinition ? Optional.of(FileChange.added(entry.getNewPath(), newBlob)) : Optional.empty();
            case DELETE -> oldIsDefinition ? Optional.of(FileChange.deleted(entry.getOldPath())) : Optional.empty();
            case MODIFY -> {
                if (oldIsDefinition && newIsDefinition) {
                    yield Optional.of(FileChange.modified(entry.getNewPath(), newBlob));
                } else if (newIsDefinition) {
                    // e.g. a symlink replaced by a file
                    yield Optional.of(FileChange.added(entry.getNewPath(), newBlob));
                } else {
                    yield oldIsDefinition ? Optional.of(FileChange.deleted(entry.getOldPath())) : Optional.empty();
                }
            }
            case RENAME -> {
                // A move across the glob boundary is an addition or a deletion as far as definitions go.
                if (oldIsDefinition && newIsDefinition) {
                    yield Optional.of(FileChange.renamed(entry.getOldPath(), entry.getNewPath(), newBlob));
                } else if (newIsDefinition) {
                    yield Optional.of(FileChange.added(entry.getNewPath(), newBlob));
                } else {
                    yield oldIsDefinition ? Optional.of(FileChange.deleted(entry.getOldPath())) : Optional.empty();
                }
            }
        };
    }

    private static boolean isFile(FileMode mode) {
        return mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE;
    }

    /** Opens the content of a blob; the caller closes the stream and bounds how much it reads. */
    public InputStream open(String blobId) {
        try {
            return git.getRepository().open(ObjectId.fromString(blobId), Constants.OBJ_BLOB).openStream();
        } catch (IOException e) {
            throw new GitAccessException("cannot read blob " + blobId + " of " + repository.key(), e);
        }
    }

    /** A predicate telling whether a path exists as a file in the tree of {@code commitId}. */
    public Predicate<String> pathsIn(String commitId) {
        Repository repo = git.getRepository();
        try (RevWalk walk = new RevWalk(repo)) {
            ObjectId tree = walk.parseCommit(ObjectId.fromString(commitId)).getTree().getId();
            return path -> {
                try (TreeWalk tw = TreeWalk.forPath(repo, path, tree)) {
                    return tw != null && isFile(tw.getFileMode(0));
                } catch (IOException e) {
                    throw new GitAccessException("cannot look up " + path + " in " + repository.key(), e);
                }
            };
        } catch (IOException e) {
            throw new GitAccessException("cannot read commit " + commitId + " of " + repository.key(), e);
        }
    }

    /** The head commit. */
    public CommitInfo commit(String commitId) {
        try (RevWalk walk = new RevWalk(git.getRepository())) {
            return info(walk.parseCommit(ObjectId.fromString(commitId)));
        } catch (IOException e) {
            throw new GitAccessException("cannot read commit " + commitId + " of " + repository.key(), e);
        }
    }

    /**
     * The commits reachable from {@code toCommit} but not from {@code fromCommit}, oldest first (at most
     * the newest {@value #MAX_COMMITS_LISTED}). For a force-push these are the commits of the new history.
     * Without a usable {@code fromCommit} only the head is listed: the whole history is not "this push".
     */
    public List<String> commitsBetween(String fromCommit, String toCommit) {
        if (fromCommit == null || !hasCommit(fromCommit)) {
            return List.of(toCommit);
        }
        try (RevWalk walk = new RevWalk(git.getRepository())) {
            walk.markStart(walk.parseCommit(ObjectId.fromString(toCommit)));
            walk.markUninteresting(walk.parseCommit(ObjectId.fromString(fromCommit)));
            walk.sort(RevSort.TOPO);
            List<String> newestFirst = new ArrayList<>();
            for (RevCommit c : walk) {
                newestFirst.add(c.name());
                if (newestFirst.size() == MAX_COMMITS_LISTED) {
                    break;
                }
            }
            List<String> oldestFirst = new ArrayList<>(newestFirst.size());
            for (int i = newestFirst.size() - 1; i >= 0; i--) {
                oldestFirst.add(newestFirst.get(i));
            }
            return oldestFirst;
        } catch (IOException e) {
            throw new GitAccessException("cannot walk history of " + repository.key(), e);
        }
    }

    private static CommitInfo info(RevCommit commit) {
        PersonIdent author = commit.getAuthorIdent();
        return new CommitInfo(commit.name(), author.getName(),
                author.getEmailAddress() == null || author.getEmailAddress().isBlank() ? null : author.getEmailAddress(),
                commit.getShortMessage(), commit.getCommitterIdent().getWhenAsInstant());
    }

    private String sanitize(String message) {
        if (message == null) {
            return "";
        }
        // JGit quotes the URL in several spellings (with the user, without the password...): drop any user info.
        return message.replace(repository.fetchUrl(), repository.key().repository())
                .replaceAll("([A-Za-z][A-Za-z0-9+.-]*://)[^/@\\s]+@", "$1");
    }

    @Override
    public void close() {
        git.close();
        if (sshSessionFactory != null) {
            // It holds an SSH client with its own threads and cached sessions.
            sshSessionFactory.close();
        }
    }
}
