package io.k0rdent.ops.faults;

import io.k0rdent.ops.faults.FaultAction.Arming;
import io.k0rdent.ops.k0ops.up.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The report of one run, in Markdown, next to its sandbox state ({@code target/fault-runs/...}). */
final class RunReport {

    private RunReport() {
    }

    static Path write(Path runDir, FaultSuiteSettings settings, Duration took, FaultLog log,
                      InvariantChecker.Result result, Map<Service, List<Arming>> unreached, List<Throwable> failures)
            throws Exception {
        StringBuilder md = new StringBuilder();
        md.append("# Fault run ").append(runDir.getFileName()).append("\n\n");
        md.append("- clusters ").append(settings.clusters()).append(", planned kills ").append(settings.kills())
                .append(", seed ").append(settings.seed()).append(", replicas ").append(settings.replicas())
                .append(" of each consumer service\n");
        md.append("- wall time ").append(took.toMinutes()).append(" min ").append(took.toSecondsPart()).append(" s\n");
        md.append("- verdict: ").append(result.violations().isEmpty() && failures.isEmpty() ? "PASSED" : "FAILED")
                .append("\n\n## Faults injected\n\n");
        log.counts().forEach((what, count) -> md.append("- ").append(what).append(": ").append(count).append("\n"));
        if (!unreached.isEmpty()) {
            md.append("- crash points armed but not reached: ").append(unreached).append("\n");
        }
        md.append("\n## Numbers\n\n");
        result.numbers().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> md.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append("\n"));
        md.append("\n## Accounted for\n\n");
        result.notes().forEach(n -> md.append("- ").append(n).append("\n"));
        md.append("\n## Violations\n\n");
        result.violations().forEach(v -> md.append("- ").append(v).append("\n"));
        failures.forEach(f -> md.append("- fault action failed: ").append(f).append("\n"));
        md.append("\n## Timeline\n\n```\n");
        log.lines().forEach(l -> md.append(l).append("\n"));
        md.append("```\n");
        Path report = runDir.resolve("report.md");
        Files.writeString(report, md.toString());
        return report;
    }
}
