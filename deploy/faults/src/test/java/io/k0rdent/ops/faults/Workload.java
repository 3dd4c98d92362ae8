package io.k0rdent.ops.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/**
 * The workload, as a user would push it to the sandbox's GitOps clone: N clusters created (in a few commits), then
 * all scaled from 2 to 3 workers, then all upgraded to a newer k0s (and that commit rewritten and force-pushed), then
 * every second cluster deleted. A broken definition is pushed in the middle. It keeps what Git says at the end, which
 * is what the invariants compare against.
 */
final class Workload {

    static final String FROM_VERSION = "1.28.3+k0s.0";
    static final String TO_VERSION = "1.29.1+k0s.0";
    static final String BROKEN = "flt-broken";
    static final PersonIdent AUTHOR = new PersonIdent("Fault Suite", "fault-suite@example.com");
    private static final PersonIdent REWRITER = new PersonIdent("History Rewriter", "rewriter@example.com");
    private static final int CREATE_COMMITS = 4;

    private final Path work;
    private final String template;
    private final Consumer<String> log;
    private final Map<String, ClusterPlan> plans = new LinkedHashMap<>();
    private int commits;
    private int forcePushes;

    Workload(Path work, int clusters, Consumer<String> log) throws IOException {
        this.work = work;
        this.template = Files.readString(work.resolve("templates/cluster-template.yaml"));
        this.log = log;
        for (int i = 0; i < clusters; i++) {
            String name = String.format("flt-%03d", i);
            // 10.1.0.0/16 ... 10.240.0.0/16: disjoint, and none is the template's 10.10 twice (i + 1 is unique).
            plans.put(name, new ClusterPlan(name, "10." + (i + 1) + ".0.0/16", 2, FROM_VERSION, false));
        }
    }

    List<ClusterPlan> plans() {
        return List.copyOf(plans.values());
    }

    int commits() {
        return commits;
    }

    int forcePushes() {
        return forcePushes;
    }

    void create() throws IOException, GitAPIException {
        List<ClusterPlan> all = plans();
        int perCommit = Math.max(1, (all.size() + CREATE_COMMITS - 1) / CREATE_COMMITS);
        for (int from = 0; from < all.size(); from += perCommit) {
            List<ClusterPlan> batch = all.subList(from, Math.min(all.size(), from + perCommit));
            for (ClusterPlan plan : batch) {
                write(plan);
            }
            commitAndPush("Add " + batch.get(0).name() + " .. " + batch.get(batch.size() - 1).name());
        }
    }

    /** Two controllers: refused by the validator (etcd needs an odd count); must change nothing. */
    void pushBrokenDefinition() throws IOException, GitAPIException {
        ClusterPlan broken = new ClusterPlan(BROKEN, "10.250.0.0/16", 2, FROM_VERSION, false);
        Files.writeString(file(BROKEN), render(broken).replace("controllers:\n      count: 1",
                "controllers:\n      count: 2"));
        commitAndPush("Add " + BROKEN + " (two controllers)");
    }

    void scale() throws IOException, GitAPIException {
        plans.replaceAll((name, p) -> new ClusterPlan(name, p.vpcCidr(), 3, p.version(), p.deleted()));
        plans.values().forEach(this::writeUnchecked);
        commitAndPush("Scale every cluster to 3 workers");
    }

    void upgrade() throws IOException, GitAPIException {
        plans.replaceAll((name, p) -> new ClusterPlan(name, p.vpcCidr(), p.workers(), TO_VERSION, p.deleted()));
        plans.values().forEach(this::writeUnchecked);
        commitAndPush("Upgrade every cluster to k0s " + TO_VERSION);
    }

    /**
     * Rewrites the last commit (same tree, new author and message) and force-pushes it: the history the gitwatcher
     * saw disappears. Trees are compared, not ancestry, so this must publish nothing.
     */
    void rewriteLastCommit() throws GitAPIException, IOException {
        try (Git git = Git.open(work.toFile())) {
            git.commit().setAmend(true).setMessage("Upgrade every cluster (rewritten history)").setAuthor(REWRITER)
                    .setCommitter(REWRITER).setSign(false).call();
            checkPushed(git.push().setForce(true).call());
        }
        forcePushes++;
        log.accept("force-pushed a rewritten history");
    }

    /** Deletes every second cluster (odd indexes), so both end states are checked. */
    void deleteEverySecond() throws IOException, GitAPIException {
        int i = 0;
        for (ClusterPlan plan : plans()) {
            if (i++ % 2 == 1) {
                Files.delete(file(plan.name()));
                plans.put(plan.name(), new ClusterPlan(plan.name(), plan.vpcCidr(), plan.workers(), plan.version(), true));
            }
        }
        commitAndPush("Delete every second cluster");
    }

    private void writeUnchecked(ClusterPlan plan) {
        try {
            write(plan);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void write(ClusterPlan plan) throws IOException {
        Files.writeString(file(plan.name()), render(plan));
    }

    private String render(ClusterPlan plan) {
        return template.replace("name: dev-01", "name: " + plan.name())
                .replace("\"10.10.0.0/16\"", "\"" + plan.vpcCidr() + "\"")
                .replace("workers:\n      count: 2", "workers:\n      count: " + plan.workers())
                .replace("version: \"" + FROM_VERSION + "\"", "version: \"" + plan.version() + "\"")
                .replace("publicIp: true", "publicIp: " + plan.publicIp());
    }

    private Path file(String name) {
        return work.resolve("clusters").resolve(name + ".yaml");
    }

    private void commitAndPush(String message) throws GitAPIException, IOException {
        try (Git git = Git.open(work.toFile())) {
            git.add().addFilepattern(".").call();
            git.add().addFilepattern(".").setUpdate(true).call();
            git.commit().setMessage(message).setAuthor(AUTHOR).setCommitter(AUTHOR).setSign(false).call();
            checkPushed(git.push().call());
        }
        commits++;
        log.accept("pushed: " + message);
    }

    private static void checkPushed(Iterable<PushResult> results) {
        List<String> problems = new ArrayList<>();
        for (PushResult result : results) {
            for (RemoteRefUpdate update : result.getRemoteUpdates()) {
                if (update.getStatus() != RemoteRefUpdate.Status.OK && update.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
                    problems.add(update.getRemoteName() + ": " + update.getStatus());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("push failed: " + problems);
        }
    }
}
