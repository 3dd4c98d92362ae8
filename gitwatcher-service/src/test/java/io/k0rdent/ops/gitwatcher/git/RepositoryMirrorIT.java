package io.k0rdent.ops.gitwatcher.git;

import static io.k0rdent.ops.rules.ClusterYaml.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.gitwatcher.PathGlobs;
import io.k0rdent.ops.gitwatcher.WatchKey;
import io.k0rdent.ops.gitwatcher.WatchedRepository;
import io.k0rdent.ops.gitwatcher.support.GitFixture;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Git adapter against real repositories: a bare remote, a working clone, and the mirror. */
class RepositoryMirrorIT {

    private static final PathGlobs GLOBS = new PathGlobs(List.of("clusters/**/*.yaml", "clusters/**/*.yml"));

    private static RepositoryMirror mirror(GitFixture git, Path dir) {
        WatchedRepository repository = new WatchedRepository(new WatchKey(git.remoteUrl(), "main"), git.remoteUrl(),
                GLOBS, Duration.ofMinutes(1), 0, null, null, Set.of());
        return RepositoryMirror.open(repository, dir.resolve("mirror"), 30);
    }

    @Test
    void treeDiffDetectsRenamesAndMovesAcrossTheGlobs(@TempDir Path dir) throws Exception {
        try (GitFixture git = GitFixture.create(dir, "main")) {
            git.write("clusters/a.yaml", cluster("a")).write("clusters/b.yaml", cluster("b"))
                    .write("drafts/c.yaml", cluster("c")).write("clusters/d.yaml", cluster("d"));
            String first = git.commit("first");
            git.push();
            git.move("clusters/a.yaml", "clusters/eu/a.yml");
            git.move("clusters/b.yaml", "archive/b.yaml");
            git.move("drafts/c.yaml", "clusters/c.yaml");
            git.write("clusters/d.yaml", cluster("d").withWorkers(9));
            git.write("README.md", "changed\n");
            String second = git.commit("second");
            git.push();
            try (RepositoryMirror mirror = mirror(git, dir)) {
                assertThat(mirror.fetch()).contains(second);

                assertThat(mirror.changes(null, first, GLOBS)).extracting(FileChange::kind, FileChange::newPath)
                        .containsExactlyInAnyOrder(
                                org.assertj.core.groups.Tuple.tuple(FileChange.Kind.ADDED, "clusters/a.yaml"),
                                org.assertj.core.groups.Tuple.tuple(FileChange.Kind.ADDED, "clusters/b.yaml"),
                                org.assertj.core.groups.Tuple.tuple(FileChange.Kind.ADDED, "clusters/d.yaml"));

                List<FileChange> changes = mirror.changes(first, second, GLOBS);
                assertThat(changes).containsExactlyInAnyOrder(
                        FileChange.renamed("clusters/a.yaml", "clusters/eu/a.yml", blobOf(changes, "clusters/eu/a.yml")),
                        FileChange.deleted("clusters/b.yaml"),
                        FileChange.added("clusters/c.yaml", blobOf(changes, "clusters/c.yaml")),
                        FileChange.modified("clusters/d.yaml", blobOf(changes, "clusters/d.yaml")));
                try (InputStream in = mirror.open(blobOf(changes, "clusters/d.yaml"))) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("count: 9");
                }
                assertThat(mirror.pathsIn(second).test("clusters/eu/a.yml")).isTrue();
                assertThat(mirror.pathsIn(second).test("clusters/a.yaml")).isFalse();
                assertThat(mirror.commitsBetween(first, second)).containsExactly(second);
                assertThat(mirror.commit(second).authorEmail()).isEqualTo("ada@example.com");
            }
        }
    }

    @Test
    void forcePushIsDiffedByTreesAndDeletedBranchIsEmpty(@TempDir Path dir) {
        try (GitFixture git = GitFixture.create(dir, "main")) {
            git.write("clusters/a.yaml", cluster("a"));
            String base = git.commit("base");
            git.write("clusters/b.yaml", cluster("b"));
            String old = git.commit("old");
            git.push();
            try (RepositoryMirror mirror = mirror(git, dir)) {
                assertThat(mirror.fetch()).contains(old);
                git.resetHard(base);
                git.write("clusters/c.yaml", cluster("c"));
                String rewritten = git.commit("rewritten");
                git.forcePush();

                assertThat(mirror.fetch()).contains(rewritten);
                assertThat(mirror.hasCommit(old)).as("the mirror keeps the old history to diff against").isTrue();
                // b and c differ only in their name, so rename detection pairs them; the planner treats a rename
                // that changes metadata.name as deleting b and creating c.
                assertThat(mirror.changes(old, rewritten, GLOBS)).extracting(FileChange::kind, FileChange::oldPath, FileChange::newPath)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(FileChange.Kind.RENAMED, "clusters/b.yaml", "clusters/c.yaml"));
                assertThat(mirror.commitsBetween(old, rewritten)).containsExactly(rewritten);
                assertThat(mirror.hasCommit("0123456789012345678901234567890123456789")).isFalse();

                git.deleteRemoteBranch();
                assertThat(mirror.fetch()).isEmpty();
            }
        }
    }

    private static String blobOf(List<FileChange> changes, String newPath) {
        return changes.stream().filter(c -> newPath.equals(c.newPath())).findFirst().orElseThrow().newBlob();
    }
}
