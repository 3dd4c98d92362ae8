package io.k0rdent.ops.gitwatcher.support;

import io.k0rdent.ops.rules.ClusterYaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;

/**
 * A real Git setup in a temp dir: a bare "remote" and a working clone that commits and pushes to it,
 * as a user of the GitOps repository would.
 */
public final class GitFixture implements AutoCloseable {

    public static final PersonIdent ADA = new PersonIdent("Ada Lovelace", "ada@example.com");

    private final Path remote;
    private final Path work;
    private final Git git;
    private final String branch;

    private GitFixture(Path remote, Path work, Git git, String branch) {
        this.remote = remote;
        this.work = work;
        this.git = git;
        this.branch = branch;
    }

    /** A bare remote with branch {@code branch} created by an initial commit holding a README. */
    public static GitFixture create(Path dir, String branch) {
        try {
            Path remote = dir.resolve("remote.git");
            Path work = dir.resolve("work");
            // HEAD of the remote points elsewhere, so that the watched branch can be deleted like any other.
            Git.init().setBare(true).setDirectory(remote.toFile()).setInitialBranch("default-head").call().close();
            Git git = Git.init().setDirectory(work.toFile()).setInitialBranch(branch).call();
            git.remoteAdd().setName("origin").setUri(new org.eclipse.jgit.transport.URIish(remote.toUri().toString())).call();
            // The fixture is the user's side, not the system under test: its own background GCs would only add
            // noise to what the gitwatcher does (and to benchmark numbers).
            try (Git bare = Git.open(remote.toFile())) {
                bare.getRepository().getConfig().setInt("gc", null, "auto", 0);
                bare.getRepository().getConfig().setBoolean("receive", null, "autogc", false);
                bare.getRepository().getConfig().save();
            }
            git.getRepository().getConfig().setInt("gc", null, "auto", 0);
            git.getRepository().getConfig().save();
            GitFixture fixture = new GitFixture(remote, work, git, branch);
            fixture.write("README.md", "cluster definitions\n");
            fixture.commit("initial commit");
            fixture.push();
            return fixture;
        } catch (GitAPIException | java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bare remote on disk, e.g. to serve it over SSH. */
    public Path remotePath() {
        return remote;
    }

    /** The URL the gitwatcher fetches from. */
    public String remoteUrl() {
        return remote.toUri().toString();
    }

    public GitFixture write(String path, String content) {
        try {
            Path file = work.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
            git.add().addFilepattern(path).call();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes many files and stages them in one index update (one {@code add} per file rewrites the index each time). */
    public GitFixture writeAll(java.util.Map<String, String> files) {
        try {
            for (java.util.Map.Entry<String, String> file : files.entrySet()) {
                Path path = work.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
            }
            git.add().addFilepattern(".").call();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    public GitFixture write(String path, ClusterYaml cluster) {
        return write(path, cluster.yaml());
    }

    public GitFixture delete(String path) {
        try {
            git.rm().addFilepattern(path).call();
            return this;
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    public GitFixture move(String from, String to) {
        try {
            String content = Files.readString(work.resolve(from));
            delete(from);
            return write(to, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Commits everything staged (also when nothing is), authored by {@link #ADA}; returns the id. */
    public String commit(String message) {
        try {
            RevCommit c = git.commit().setMessage(message).setAuthor(ADA).setCommitter(ADA).setAllowEmpty(true).call();
            return c.name();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    public void push() {
        try {
            git.push().setRemote("origin").setRefSpecs(new RefSpec(branch + ":" + branch)).call();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Pushes the current head to another branch of the remote. */
    public void pushTo(String otherBranch) {
        try {
            git.push().setRemote("origin").setRefSpecs(new RefSpec("HEAD:refs/heads/" + otherBranch)).call();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rewrites the local branch to {@code commit} (hard reset). */
    public void resetHard(String commit) {
        try {
            git.reset().setMode(ResetCommand.ResetType.HARD).setRef(commit).call();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    public void forcePush() {
        try {
            git.push().setRemote("origin").setForce(true).setRefSpecs(new RefSpec("+" + branch + ":" + branch)).call();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes the branch on the remote. */
    public void deleteRemoteBranch() {
        try {
            git.push().setRemote("origin").setRefSpecs(new RefSpec(":refs/heads/" + branch)).call();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        git.close();
    }
}
