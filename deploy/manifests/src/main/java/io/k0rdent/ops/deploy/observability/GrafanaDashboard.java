package io.k0rdent.ops.deploy.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Grafana dashboard JSON file, read for what can go wrong without Grafana: a query on a metric that does
 * not exist (an empty panel, no error) and a data source fixed to one Grafana's UID (broken in every other).
 *
 * @param title  the dashboard's title
 * @param panels every panel that queries, rows' nested panels included
 * @param tree   the whole file
 */
public record GrafanaDashboard(String title, List<Panel> panels, JsonNode tree) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([^,)]+?)\\s*(?:,[^)]*)?\\)");

    /** @param expressions the PromQL of its targets, in order */
    public record Panel(int id, String title, JsonNode datasource, List<String> expressions) {
    }

    public static GrafanaDashboard read(Path file) {
        JsonNode tree;
        try {
            tree = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + file, e);
        }
        List<Panel> panels = new ArrayList<>();
        collect(tree.path("panels"), panels);
        return new GrafanaDashboard(tree.path("title").asText(), panels, tree);
    }

    private static void collect(JsonNode list, List<Panel> panels) {
        for (JsonNode panel : list) {
            if (!panel.path("type").asText().equals("row")) {
                List<String> expressions = new ArrayList<>();
                panel.path("targets").forEach(t -> expressions.add(t.path("expr").asText("")));
                panels.add(new Panel(panel.path("id").asInt(-1), panel.path("title").asText(), panel.get("datasource"),
                        expressions));
            }
            collect(panel.path("panels"), panels);
        }
    }

    /** Every metric name a panel or a template variable queries. */
    public Set<String> metricNames() {
        Set<String> names = new LinkedHashSet<>();
        panels.forEach(p -> p.expressions().forEach(e -> names.addAll(PromQl.metricNames(e))));
        names.addAll(variableMetricNames());
        return names;
    }

    /**
     * What is wrong with it, as messages naming the panel.
     *
     * @param knownSeries the series names a query may use
     */
    public List<String> problems(Set<String> knownSeries) {
        List<String> problems = new ArrayList<>();
        boolean datasourceVariable = false;
        for (JsonNode variable : tree.path("templating").path("list")) {
            if (variable.path("type").asText().equals("datasource") && variable.path("query").asText().equals("prometheus")) {
                datasourceVariable = true;
            }
        }
        if (!datasourceVariable) {
            problems.add("no template variable of type datasource for Prometheus");
        }
        for (String name : variableMetricNames()) {
            if (!knownSeries.contains(name)) {
                problems.add("a template variable queries unknown metric " + name);
            }
        }
        Set<Integer> ids = new HashSet<>();
        for (Panel panel : panels) {
            String shown = "panel \"" + panel.title() + "\"";
            if (!ids.add(panel.id())) {
                problems.add(shown + ": id " + panel.id() + " is not unique");
            }
            if (panel.expressions().isEmpty() || panel.expressions().stream().anyMatch(String::isBlank)) {
                problems.add(shown + ": a target without a PromQL expression");
            }
            for (String expression : panel.expressions()) {
                for (String name : PromQl.metricNames(expression)) {
                    if (!knownSeries.contains(name)) {
                        problems.add(shown + ": unknown metric " + name + " in " + expression);
                    }
                }
            }
            if (panel.datasource() == null) {
                problems.add(shown + ": no datasource, so it uses whatever Grafana's default is");
            }
        }
        findFixedDatasources(tree, "", problems);
        return problems;
    }

    private Set<String> variableMetricNames() {
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode variable : tree.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                JsonNode query = variable.path("query");
                String text = query.isObject() ? query.path("query").asText() : query.asText();
                Matcher labelValues = LABEL_VALUES.matcher(text);
                names.addAll(labelValues.find() ? PromQl.metricNames(labelValues.group(1)) : PromQl.metricNames(text));
            }
        }
        return names;
    }

    /** Any datasource, anywhere in the file, that names a data source instead of the variable. */
    private static void findFixedDatasources(JsonNode node, String path, List<String> problems) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                String here = path + "/" + field.getKey();
                if (field.getKey().equals("datasource")) {
                    JsonNode datasource = field.getValue();
                    String reference = datasource.isObject() ? datasource.path("uid").asText("") : datasource.asText("");
                    if (!datasource.isNull() && !reference.startsWith("$")) {
                        problems.add(here + ": data source " + datasource + " is fixed; use ${datasource}");
                    }
                } else {
                    findFixedDatasources(field.getValue(), here, problems);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                findFixedDatasources(node.get(i), path + "/" + i, problems);
            }
        }
    }
}
