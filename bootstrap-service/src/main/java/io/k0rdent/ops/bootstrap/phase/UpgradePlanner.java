package io.k0rdent.ops.bootstrap.phase;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plans a rolling k0s upgrade the way k0sctl does it: controllers one at a time, then workers in
 * batches of a share of the worker count (at least one), each worker drained before it is touched.
 */
public final class UpgradePlanner {

    private static final Pattern VERSION = Pattern.compile("([0-9]+)\\.([0-9]+)\\.([0-9]+)\\+k0s\\.([0-9]+)");

    private UpgradePlanner() {
    }

    /**
     * One step of the rolling upgrade.
     *
     * @param controllers whether the step upgrades controllers (never mixed with workers)
     * @param nodes       node keys (host addresses) upgraded together in this step
     */
    public record Step(boolean controllers, List<String> nodes) {
    }

    /**
     * @param controllers   controllers to upgrade, in cluster order (the first controller first)
     * @param workers       workers to upgrade
     * @param batchPercent  share of {@code totalWorkers} per worker batch
     * @param totalWorkers  the cluster's worker count (batches are a share of the cluster, not of the stale nodes)
     */
    public static List<Step> plan(List<String> controllers, List<String> workers, int batchPercent, int totalWorkers) {
        List<Step> steps = new ArrayList<>();
        controllers.forEach(c -> steps.add(new Step(true, List.of(c))));
        int batch = batchSize(batchPercent, totalWorkers);
        for (int i = 0; i < workers.size(); i += batch) {
            steps.add(new Step(false, List.copyOf(workers.subList(i, Math.min(workers.size(), i + batch)))));
        }
        return steps;
    }

    /** {@code percent} of {@code workers}, rounded up, at least one. */
    public static int batchSize(int percent, int workers) {
        int p = Math.max(1, Math.min(100, percent));
        return Math.max(1, (workers * p + 99) / 100);
    }

    /**
     * Compares two k0s versions by major, minor, patch and k0s build.
     *
     * @return negative, zero or positive as {@code a} is older than, equal to or newer than {@code b}
     */
    public static int compare(String a, String b) {
        int[] x = parse(a);
        int[] y = parse(b);
        for (int i = 0; i < x.length; i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        return 0;
    }

    /**
     * @throws IllegalArgumentException when going from {@code running} to {@code target} is a downgrade
     *                                  and downgrades are not allowed
     */
    public static void requireAllowed(String running, String target, boolean allowDowngrade) {
        if (!allowDowngrade && compare(target, running) < 0) {
            throw new IllegalArgumentException("k0s " + running + " runs on the cluster; going down to " + target
                    + " is not allowed (set k0rdent.bootstrap.k0s.allow-downgrade to permit it)");
        }
        int[] from = parse(running);
        int[] to = parse(target);
        // Kubernetes upgrades one minor version at a time (version skew policy); the gitwatcher refuses such a
        // change already, this refuses an event that skips one however it came.
        if (to[0] == from[0] && to[1] > from[1] + 1) {
            throw new IllegalArgumentException("k0s " + running + " runs on the cluster; " + target + " skips "
                    + (to[1] - from[1] - 1) + " minor version(s): upgrade to " + from[0] + "." + (from[1] + 1)
                    + " first");
        }
    }

    private static int[] parse(String version) {
        Matcher m = VERSION.matcher(version);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a k0s version: " + version);
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
            Integer.parseInt(m.group(4))};
    }
}
