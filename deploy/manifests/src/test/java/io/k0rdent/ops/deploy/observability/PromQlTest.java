package io.k0rdent.ops.deploy.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void findsTheMetricsBehindFunctionsAggregationsAndLabelLists() {
        String expression = "histogram_quantile(0.95, sum by (stage, le) "
                + "(rate(k0rdent_stage_duration_seconds_bucket{service=~\"$service\", stage!=\"sum(x)\"}[$__rate_interval])))";

        assertThat(PromQl.metricNames(expression)).containsExactly("k0rdent_stage_duration_seconds_bucket");
    }

    @Test
    void findsBothSidesOfBinaryOperatorsAndIgnoresNumbersDurationsAndModifiers() {
        String expression = "sum by (service, topic) (k0rdent_events_dead_lettered_total unless "
                + "k0rdent_events_dead_lettered_total offset 15m) > 30 * 60 or on (service) group_left (reason) "
                + "max without (pod) (up) > 1e3 and topk(10, kafka_consumer_fetch_manager_records_lag)";

        assertThat(PromQl.metricNames(expression)).containsExactly("k0rdent_events_dead_lettered_total", "up",
                "kafka_consumer_fetch_manager_records_lag");
    }

    @Test
    void aMisspeltMetricIsReportedAsItIsWritten() {
        assertThat(PromQl.metricNames("rate(k0rdent_events_consumd_total[5m])"))
                .containsExactly("k0rdent_events_consumd_total");
    }

    @Test
    void namesTheSeriesMicrometerExportsForEachKindOfMeter() {
        assertThat(PrometheusSeries.of("k0rdent.ec2.calls", PrometheusSeries.Kind.COUNTER))
                .containsExactly("k0rdent_ec2_calls_total");
        assertThat(PrometheusSeries.of("k0rdent.stage.duration", PrometheusSeries.Kind.TIMER)).containsExactlyInAnyOrder(
                "k0rdent_stage_duration_seconds_bucket", "k0rdent_stage_duration_seconds_count",
                "k0rdent_stage_duration_seconds_sum", "k0rdent_stage_duration_seconds_max");
        assertThat(PrometheusSeries.of("k0rdent.clusters.in.flight.oldest.age", PrometheusSeries.Kind.SECONDS_GAUGE))
                .containsExactly("k0rdent_clusters_in_flight_oldest_age_seconds");
    }

    @Test
    void anchorsAreGitHubSlugsOfHeadingsOutsideCodeBlocks() {
        String markdown = "# Operations\n## Dashboards and alerts\n#### K0rdentClusterStuck\n"
                + "### What `deploy/manifests` checks\n```\n# comment\n```\n";

        assertThat(MarkdownAnchors.of(markdown)).containsExactly("operations", "dashboards-and-alerts",
                "k0rdentclusterstuck", "what-deploymanifests-checks");
    }
}
