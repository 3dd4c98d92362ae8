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
 * half scaled out and half scaled in (one in four also changing its workers' instance type), then all upgraded to a newer k0s (and that commit rewritten and force-pushed), then
 * every second cluster deleted (in two commits), then the branch force-pushed back to before the second deletion, so
 * those clusters come back. A broken definition is pushed in the middle. It keeps what Git says at the end, which is
 * what the invariants compare against.
 */
final class Workload {

    static final String FROM_VERSION = "1.28.3+k0s.0";
    static final String TO_VERSION = "1.29.1+k0s.0";
    static final String BROKEN = "flt-broken";
    /** The workers' instance type after the rolling replacement of one cluster in four. */
    static final String CHANGED_WORKER_TYPE = "t3.xlarge";
    static final PersonIdent AUTHOR = new PersonIdent("Fault Suite", "fault-suite@example.com");
    private static final PersonIdent REWRITER = new PersonIdent("History Rewriter", "rewriter@example.com");
    private static final int CREATE_COMMITS = 4;

    private final Path work;
    private final String template;
    private final Consumer<String> log;
    private final Map<String, ClusterPlan> plans = new LinkedHashMap<>();
    private int commits;
    private int forcePushes;
    private java.time.Instant rolledBackAt;

    Workload(Path work, int clusters, Consumer<String> log) throws IOException {
        this.work = work;
        this.template = Files.readString(work.resolve("templates/cluster-template.yaml"));
        this.log = log;
        for (int i = 0; i < clusters; i++) {
            String name = String.format("flt-%03d", i);
            // 10.1.0.0/16 ... 10.240.0.0/16: disjoint, and none is the template's 10.10 twice (i + 1 is unique).
            plans.put(name, ClusterPlan.initial(name, "10." + (i + 1) + ".0.0/16", FROM_VERSION));
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
        ClusterPlan broken = ClusterPlan.initial(BROKEN, "10.250.0.0/16", FROM_VERSION);
        Files.writeString(file(BROKEN), render(broken).replace("controllers:\n      count: 1",
                "controllers:\n      count: 2"));
        commitAndPush("Add " + BROKEN + " (two controllers)");
    }

    /**
     * Half the clusters scale out (2 → 3 workers: index mod 4 is 0 or 1), the other half scale in (2 → 1: the
     * provisioner asks the bootstrap to drain, then terminates), and one in four (index mod 8 is 0 or 6, so both
     * directions, kept to the end) also changes its workers' instance type: a rolling replacement, batch by batch.
     * The deletions later take indexes 1 and 3 mod 4, so kept clusters of both directions are checked at the end,
     * and the rollback brings back scaled-in ones.
     */
    void scale() throws IOException, GitAPIException {
        int i = 0;
        for (ClusterPlan plan : plans()) {
            int index = i++;
            int workers = index % 4 < 2 ? 3 : 1;
            String type = index % 8 == 0 || index % 8 == 6 ? CHANGED_WORKER_TYPE : plan.workerType();
            plans.put(plan.name(), plan.withWorkers(workers, type));
        }
        plans.values().forEach(this::writeUnchecked);
        commitAndPush("Scale half the clusters out, half in; new worker type for one in four");
    }

    void upgrade() throws IOException, GitAPIException {
        plans.replaceAll((name, p) -> p.withVersion(TO_VERSION));
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

    /**
     * Deletes every second cluster (odd indexes), so both end states are checked, in two commits: those at
     * {@code remainder} 1 (1, 5, 9 ...), then 3 (3, 7, 11 ...), which {@link #rollBackLastDeletion()} undoes.
     * Answers the clusters deleted.
     */
    List<String> deleteEveryFourth(int remainder) throws IOException, GitAPIException {
        List<String> deleted = new ArrayList<>();
        int i = 0;
        for (ClusterPlan plan : plans()) {
            if (i++ % 4 == remainder) {
                Files.delete(file(plan.name()));
                plans.put(plan.name(), plan.asDeleted());
                deleted.add(plan.name());
            }
        }
        commitAndPush("Delete every fourth cluster from flt-00" + remainder);
        return deleted;
    }

    /**
     * Force-pushes the branch back to the commit before the last one (the second deletion): a commit the gitwatcher
     * has seen before, whose clusters it deleted since. They must be created again, provisioned, Ready, and told.
     */
    void rollBackLastDeletion() throws IOException, GitAPIException {
        try (Git git = Git.open(work.toFile())) {
            var head = git.getRepository().resolve("HEAD~1");
            git.reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef(head.name()).call();
            for (ClusterPlan plan : plans()) {
                if (plan.deleted() && Files.exists(file(plan.name()))) {
                    plans.put(plan.name(), plan.asRecreated());
                }
            }
            rolledBackAt = java.time.Instant.now();
            checkPushed(git.push().setForce(true).call());
        }
        forcePushes++;
        log.accept("force-pushed the branch back to " + "before the last deletion (rollback)");
    }

    /** When the rollback was pushed (RunInstances after it belong to the re-created clusters' second life); or null. */
    java.time.Instant rolledBackAt() {
        return rolledBackAt;
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
                .replace("workers:\n      count: 2\n      instanceType: " + ClusterPlan.INITIAL_WORKER_TYPE,
                        "workers:\n      count: " + plan.workers() + "\n      instanceType: " + plan.workerType())
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
