package io.k0rdent.ops.deploy.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.k0rdent.ops.deploy.Fixtures;
import io.k0rdent.ops.deploy.RepositoryRoot;
import io.k0rdent.ops.support.telemetry.MetricNames;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the PrometheusRule of deploy/kubernetes/observability query only metrics the
 * services register (MetricNames) and {@code up}, and every alert leads to a runbook in docs/operations.md.
 * The broken fixtures show each check fails where it should.
 */
class ObservabilityTest {

    static final Path ROOT = RepositoryRoot.locate();
    static final Path OBSERVABILITY = ROOT.resolve("deploy/kubernetes/observability");
    static final Path DASHBOARD = OBSERVABILITY.resolve("k0rdent-ops-dashboard.json");
    static final Path RULES = OBSERVABILITY.resolve("prometheusrule.yaml");
    static final Path OPERATIONS = ROOT.resolve(AlertRules.RUNBOOK_FILE);
    static final Path FIXTURES = Fixtures.path("observability");

    @Test
    void everyMetricNameHasAKindOfMeter() {
        // A name added to MetricNames without a kind here would make every check below blind to it.
        assertThat(MetricSeries.KINDS.keySet()).containsExactlyInAnyOrderElementsOf(MetricNames.all());
    }

    @Test
    void theDashboardQueriesOnlyKnownMetricsThroughTheDatasourceVariable() {
        GrafanaDashboard dashboard = GrafanaDashboard.read(DASHBOARD);

        assertThat(dashboard.panels()).hasSizeGreaterThanOrEqualTo(15);
        assertThat(dashboard.problems(MetricSeries.known())).isEmpty();
    }

    @Test
    void theDashboardShowsEveryMetricOfMetricNames() {
        Set<String> queried = GrafanaDashboard.read(DASHBOARD).metricNames();

        Set<String> missing = MetricNames.all().stream()
                .filter(name -> MetricSeries.of(name).stream().noneMatch(queried::contains))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(missing).as("MetricNames with no panel").isEmpty();
    }

    @Test
    void theDashboardShowsStagePercentilesFromHistogramBuckets() {
        GrafanaDashboard dashboard = GrafanaDashboard.read(DASHBOARD);

        assertThat(dashboard.panels()).flatExtracting(GrafanaDashboard.Panel::expressions)
                .anySatisfy(e -> assertThat(e).contains("histogram_quantile(0.5,", "k0rdent_stage_duration_seconds_bucket", "by (stage, le)"))
                .anySatisfy(e -> assertThat(e).contains("histogram_quantile(0.95,", "k0rdent_stage_duration_seconds_bucket", "by (stage, le)"))
                .anySatisfy(e -> assertThat(e).contains("histogram_quantile(0.95,", "k0rdent_ssh_phase_duration_seconds_bucket", "by (phase, le)"));
    }

    @Test
    void everyAlertIsCompleteAndItsRunbookExists() {
        AlertRules rules = AlertRules.read(RULES);

        assertThat(rules.alertNames()).containsExactlyInAnyOrder("K0rdentClusterStuck", "K0rdentDeadLetterGrowth",
                "K0rdentConsumerLagHigh", "K0rdentEc2Throttling", "K0rdentNotificationFailures", "K0rdentServiceDown");
        assertThat(rules.problems(MetricSeries.known(), MarkdownAnchors.of(OPERATIONS))).isEmpty();
    }

    @Test
    void alertsWaitAsLongAsTheirRunbooksSay() {
        Map<String, String> waits = AlertRules.read(RULES).rules().stream()
                .filter(r -> r.alert() != null && r.forDuration() != null)
                .collect(Collectors.toMap(AlertRules.Rule::alert, AlertRules.Rule::forDuration));

        assertThat(waits).containsEntry("K0rdentClusterStuck", "5m").containsEntry("K0rdentConsumerLagHigh", "10m")
                .containsEntry("K0rdentServiceDown", "5m");
        assertThat(AlertRules.read(RULES).rules()).filteredOn(r -> "K0rdentDeadLetterGrowth".equals(r.alert()))
                .singleElement().satisfies(r -> assertThat(r.expr()).contains("increase(k0rdent_events_dead_lettered_total[15m])"));
    }

    @Test
    void aBrokenDashboardReportsEachProblem() {
        GrafanaDashboard dashboard = GrafanaDashboard.read(FIXTURES.resolve("broken-dashboard.json"));

        assertThat(dashboard.problems(MetricSeries.known())).containsExactly(
                "no template variable of type datasource for Prometheus",
                "a template variable queries unknown metric k0rdent_events_consumd_total",
                "panel \"Typo\": unknown metric k0rdent_events_consumed_totl in "
                        + "sum by (type) (rate(k0rdent_events_consumed_totl{service=~\"$service\"}[$__rate_interval]))",
                "panel \"Fixed data source\": id 2 is not unique",
                "panel \"No data source\": a target without a PromQL expression",
                "panel \"No data source\": no datasource, so it uses whatever Grafana's default is",
                "/panels/1/datasource: data source {\"type\":\"prometheus\",\"uid\":\"P1809F7CD0C75ACF3\"} is fixed; use ${datasource}");
    }

    @Test
    void brokenAlertRulesReportEachProblem() {
        AlertRules rules = AlertRules.read(FIXTURES.resolve("broken-rules.yaml"));

        assertThat(rules.problems(MetricSeries.known(), MarkdownAnchors.of(FIXTURES.resolve("runbooks.md")))).containsExactly(
                "alert UsesTheRecordingAndATypo: unknown metric k0rdent_clusters_in_fligth",
                "alert NoSeverityNoRunbook: severity label is 'page', not one of [critical, info, warning]",
                "alert NoSeverityNoRunbook: no description annotation",
                "alert NoSeverityNoRunbook: no runbook_url annotation",
                "alert RunbookElsewhere: runbook_url https://wiki.example.com/runbooks#service-down does not point into docs/operations.md",
                "alert RunbookAnchorMissing: runbook_url anchor #no-such-heading is no heading of docs/operations.md",
                "alert RunbookAnchorMissing: defined twice");
    }
}
