package io.k0rdent.ops.k0ops.up;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.URIish;

/**
 * The sandbox's GitOps repository: a bare "remote" (what a Git host would be) and a working clone for
 * the user, seeded with {@code templates/cluster-template.yaml}, a README and an empty {@code clusters/}.
 * Existing repositories are kept as they are, so a second {@code k0ops up} resumes with the same history.
 */
public final class GitopsRepository {

    public static final String BRANCH = "main";
    private static final String TEMPLATE = "templates/cluster-template.yaml";

    private final Path bareDir;
    private final Path workDir;

    private GitopsRepository(Path bareDir, Path workDir) {
        this.bareDir = bareDir;
        this.workDir = workDir;
    }

    /**
     * Creates the bare repository and the clone when they do not exist yet.
     *
     * @param bareDir e.g. {@code ./.k0ops/gitops.git}
     * @param workDir e.g. {@code ./gitops}
     */
    public static GitopsRepository ensure(Path bareDir, Path workDir) throws IOException, GitAPIException {
        GitopsRepository repository = new GitopsRepository(bareDir.toAbsolutePath(), workDir.toAbsolutePath());
        if (!Files.exists(repository.bareDir.resolve("HEAD"))) {
            repository.createBare();
        }
        if (!Files.exists(repository.workDir.resolve(".git"))) {
            repository.cloneAndSeed();
        }
        return repository;
    }

    private void createBare() throws GitAPIException, IOException {
        try (Git bare = Git.init().setBare(true).setDirectory(bareDir.toFile()).setInitialBranch(BRANCH).call()) {
            // Pushes from people's clones are what the sandbox reacts to; no hooks needed on the bare side.
            bare.getRepository().getConfig().setBoolean("receive", null, "denyNonFastForwards", false);
            bare.getRepository().getConfig().save();
        }
    }

    private void cloneAndSeed() throws GitAPIException, IOException {
        try (Git clone = Git.cloneRepository().setURI(remoteUri().toString()).setDirectory(workDir.toFile())
                .setBranch(BRANCH).call()) {
            if (clone.getRepository().resolve(Constants.HEAD) != null) {
                return; // the remote already had history (a resumed sandbox whose clone was deleted)
            }
            Repository repository = clone.getRepository();
            RefUpdate head = repository.updateRef(Constants.HEAD);
            head.link(Constants.R_HEADS + BRANCH);
            copyResource("gitops-template/cluster-template.yaml", workDir.resolve(TEMPLATE));
            copyResource("gitops-template/README.md", workDir.resolve("README.md"));
            Files.createDirectories(workDir.resolve("clusters"));
            Files.writeString(workDir.resolve("clusters/.gitkeep"), "");
            PersonIdent sandbox = new PersonIdent("k0ops sandbox", "sandbox@k0rdent-ops.local");
            clone.add().addFilepattern(".").call();
            clone.commit().setMessage("Start the GitOps repository").setAuthor(sandbox).setCommitter(sandbox)
                    .setSign(false).call();
            clone.push().setRemote("origin").add(BRANCH).call();
            clone.getRepository().getConfig().setString("branch", BRANCH, "remote", "origin");
            clone.getRepository().getConfig().setString("branch", BRANCH, "merge", Constants.R_HEADS + BRANCH);
            clone.getRepository().getConfig().save();
        }
    }

    private static void copyResource(String resource, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (InputStream in = GitopsRepository.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            Files.copy(in, target);
        }
    }

    /** The URL services clone and fetch from: a {@code file://} URL of the bare repository. */
    public URI remoteUri() {
        try {
            return new URI(new URIish(bareDir.toUri().toURL()).toString());
        } catch (Exception e) {
            return bareDir.toUri();
        }
    }

    public Path bareDir() {
        return bareDir;
    }

    public Path workDir() {
        return workDir;
    }

    /** The commit the remote's branch points at, or {@code null} before the first push. */
    public ObjectId remoteHead() {
        try (Git bare = Git.open(bareDir.toFile())) {
            return bare.getRepository().resolve(Constants.R_HEADS + BRANCH);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
