package io.k0rdent.ops.deploy.observability;

import com.fasterxml.jackson.databind.JsonNode;
import io.k0rdent.ops.deploy.kustomize.ManifestFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules of a PrometheusRule manifest, and what an on-call engineer needs from each alert: a severity to
 * route on, a summary and description to read, and a runbook that exists.
 *
 * @param rules every rule of every group, in file order
 */
public record AlertRules(List<Rule> rules) {

    public static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");
    /** Runbooks are headings of this file; runbook URLs end in {@code docs/operations.md#<anchor>}. */
    public static final String RUNBOOK_FILE = "docs/operations.md";

    /** @param alert the alert name, or null for a recording rule */
    public record Rule(String alert, String record, String expr, String forDuration, JsonNode labels,
                       JsonNode annotations) {

        String shown() {
            return alert != null ? "alert " + alert : "record " + record;
        }
    }

    /** The rules of every PrometheusRule document in {@code file}. */
    public static AlertRules read(Path file) {
        List<Rule> rules = new ArrayList<>();
        for (JsonNode document : ManifestFiles.documents(file)) {
            if (!document.path("kind").asText().equals("PrometheusRule")) {
                continue;
            }
            for (JsonNode group : document.path("spec").path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    rules.add(new Rule(rule.path("alert").asText(null), rule.path("record").asText(null),
                            rule.path("expr").asText(""), rule.path("for").asText(null), rule.path("labels"),
                            rule.path("annotations")));
                }
            }
        }
        return new AlertRules(rules);
    }

    public List<String> alertNames() {
        return rules.stream().map(Rule::alert).filter(a -> a != null).toList();
    }

    public Set<String> metricNames() {
        Set<String> names = new LinkedHashSet<>();
        rules.forEach(r -> names.addAll(PromQl.metricNames(r.expr())));
        return names;
    }

    /**
     * What is wrong with the rules, as messages naming the alert.
     *
     * @param knownSeries    the series names an expression may use (recorded series are added)
     * @param runbookAnchors the anchors of {@link #RUNBOOK_FILE}
     */
    public List<String> problems(Set<String> knownSeries, Set<String> runbookAnchors) {
        Set<String> known = new HashSet<>(knownSeries);
        rules.stream().map(Rule::record).filter(r -> r != null).forEach(known::add);
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Rule rule : rules) {
            String shown = rule.shown();
            if (rule.expr().isBlank()) {
                problems.add(shown + ": no expr");
            }
            for (String name : PromQl.metricNames(rule.expr())) {
                if (!known.contains(name)) {
                    problems.add(shown + ": unknown metric " + name);
                }
            }
            if (rule.alert() == null) {
                continue;
            }
            if (!seen.add(rule.alert())) {
                problems.add(shown + ": defined twice");
            }
            String severity = rule.labels().path("severity").asText("");
            if (!SEVERITIES.contains(severity)) {
                problems.add(shown + ": severity label is '" + severity + "', not one of " + SEVERITIES.stream().sorted().toList());
            }
            for (String annotation : List.of("summary", "description", "runbook_url")) {
                if (rule.annotations().path(annotation).asText("").isBlank()) {
                    problems.add(shown + ": no " + annotation + " annotation");
                }
            }
            String runbook = rule.annotations().path("runbook_url").asText("");
            int hash = runbook.indexOf('#');
            if (!runbook.isBlank()) {
                if (hash < 0 || !runbook.substring(0, hash).endsWith(RUNBOOK_FILE)) {
                    problems.add(shown + ": runbook_url " + runbook + " does not point into " + RUNBOOK_FILE);
                } else if (!runbookAnchors.contains(runbook.substring(hash + 1))) {
                    problems.add(shown + ": runbook_url anchor #" + runbook.substring(hash + 1) + " is no heading of "
                            + RUNBOOK_FILE);
                }
            }
        }
        return problems;
    }
}
