package io.k0rdent.ops.k0ops.plan;

import static io.k0rdent.ops.k0ops.plan.PlanFixtures.PRICES;
import static io.k0rdent.ops.k0ops.plan.PlanFixtures.applied;
import static io.k0rdent.ops.k0ops.plan.PlanFixtures.dev01;
import static io.k0rdent.ops.k0ops.plan.PlanFixtures.valid;
import static io.k0rdent.ops.k0ops.plan.PlanFixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanReportTest {

    private static final String DEV = "clusters/dev-01.yaml";

    private static Plan upgradeAndUnpricedScaleOut() {
        String changed = yaml("dev-01", "us-east-1", "10.10.0.0/16", 1, "t3.medium", 3, "c5.large", "1.29.1+k0s.0", false);
        return new PlanCalculator(PRICES).plan(List.of(valid(DEV, changed)), Map.of("dev-01", applied(DEV, dev01())));
    }

    private static String render(Plan plan, boolean color) {
        StringWriter out = new StringWriter();
        new PlanReport(PRICES, color).print(plan, new PrintWriter(out));
        return out.toString();
    }

    @Test
    void listsEveryChangedFieldOnItsOwnAlignedLine() {
        List<String> lines = render(upgradeAndUnpricedScaleOut(), false).lines().toList();

        int first = lines.indexOf("dev-01   update  clusters/dev-01.yaml  spec.k0s.version: 1.28.3+k0s.0 → 1.29.1+k0s.0");
        assertThat(first).as(String.join("\n", lines)).isPositive().isEqualTo(1);
        assertThat(lines.get(2)).isEqualTo("                                       spec.nodes.workers.count: 2 → 3");
        assertThat(lines.get(3)).isEqualTo("                                       spec.nodes.workers.instanceType: t3.large → c5.large");
        assertThat(lines).contains("dev-01   workers  2 × t3.large  3 × c5.large  1       2        0");
        assertThat(lines).anyMatch(l -> l.contains("upgraded in place"));
        assertThat(lines).anyMatch(l -> l.matches("dev-01 +us-east-1 +\\$151\\.84 +unknown price +unknown"));
        assertThat(lines).anyMatch(l -> l.matches("TOTAL +\\$151\\.84 +\\$30\\.37 \\+ unknown +unknown"));
        assertThat(String.join("\n", lines)).doesNotContain("\u001b[");
    }

    @Test
    void coloursOnlyWhenAskedAndKeepsTheColumnsAligned() {
        Plan plan = upgradeAndUnpricedScaleOut();
        String plain = render(plan, false);
        String colored = render(plan, true);

        assertThat(colored).contains("\u001b[33mupdate\u001b[0m");
        assertThat(colored.replaceAll("\u001b\\[[0-9;]*m", "")).isEqualTo(plain);
    }
}
